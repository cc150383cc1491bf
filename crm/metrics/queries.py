"""Reads for the dashboard: late projects, open problems and the trend kept in monthly snapshots."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row, select
from sqlalchemy.orm import joinedload

from crm.extensions import db
from crm.metrics.cohort import Cohort, narrows_projects, project_ids, projects
from crm.metrics.definitions import COUNTS
from crm.metrics.models import MetricSnapshot
from crm.parks.models import Park
from crm.projects.models import Problem, ProblemStatus, Project

OPEN_STATUSES = (ProblemStatus.open, ProblemStatus.in_hand)


def late_projects(cohort: Cohort, limit: int = 10) -> list[Project]:
    query = projects(cohort, COUNTS["late"][1](cohort)).options(joinedload(Project.park))
    return list(db.session.scalars(query.limit(limit)).unique())


@dataclass(frozen=True)
class OpenProblem:
    project: Row  # (id, name): what a project link shows
    description: str
    responsible_unit: str
    due_date: date | None


def open_problems(cohort: Cohort, limit: int = 10) -> list[OpenProblem]:
    """The open problems due first. The projects' names come in a second query: joining every open
    problem to its project before sorting them costs more than the whole list."""
    query = (select(Problem.project_id, Problem.description, Problem.responsible_unit, Problem.due_date)
             .where(Problem.status.in_(OPEN_STATUSES)).order_by(Problem.due_date.asc().nulls_last(), Problem.id))
    if narrows_projects(cohort):  # only when a filter or the scope needs it
        query = query.where(Problem.project_id.in_(project_ids(cohort)))
    found = db.session.execute(query.limit(limit)).all()
    if not found:
        return []
    ids = {r.project_id for r in found}
    names = {r.id: r for r in db.session.execute(select(Project.id, Project.name).where(Project.id.in_(ids)))}
    return [OpenProblem(names[r.project_id], r.description, r.responsible_unit, r.due_date) for r in found]


def open_problems_by_project(project_ids: list[int]) -> dict[int, list]:
    """{project id: open problems (rows of description and responsible unit)} for the lists that show them."""
    found: dict[int, list] = {}
    if not project_ids:
        return found
    rows = db.session.execute(select(Problem.project_id, Problem.description, Problem.responsible_unit)
                              .where(Problem.project_id.in_(project_ids), Problem.status.in_(OPEN_STATUSES))
                              .order_by(Problem.id))
    for problem in rows:
        found.setdefault(problem.project_id, []).append(problem)
    return found


def trend_scope(cohort: Cohort) -> tuple[str, int] | None:
    """Which snapshots describe the cohort: a park's, a fair's, or the province's (no other filter)."""
    if cohort.industry_id or cohort.officer_id:
        return None
    if cohort.park and cohort.event_id is None:
        park_id = db.session.scalar(select(Park.id).where(Park.code == cohort.park))
        return ("park", park_id) if park_id else None
    if cohort.event_id is not None and not cohort.park:
        return "event", cohort.event_id
    if not cohort.park and cohort.event_id is None and cohort.user is not None and \
            cohort.user.park_scope() is not None:
        return None  # park staff: the province's snapshot would show other parks
    return ("province", 0) if not cohort.park else None


def snapshots(kind: str, scope_id: int, since: date) -> list[MetricSnapshot]:
    return list(db.session.scalars(select(MetricSnapshot).where(
        MetricSnapshot.scope_kind == kind, MetricSnapshot.scope_id == scope_id, MetricSnapshot.month >= since)
        .order_by(MetricSnapshot.month)))
