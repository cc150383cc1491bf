"""Reads for the dashboard: late projects, open problems and the trend kept in monthly snapshots."""
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import select
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


class ProjectName(NamedTuple):
    """What a project link shows."""
    id: int
    name: str


@dataclass(frozen=True)
class OpenProblem:
    project: ProjectName
    description: str
    responsible_unit: str
    due_date: date | None


def open_problems(cohort: Cohort, limit: int = 10) -> list[OpenProblem]:
    """The open problems due first, with their projects' names. The first `limit` are chosen from the index
    of status and due date alone (ix_problems_status_due); only their rows and projects are read."""
    due_first = (Problem.due_date.asc().nulls_last(), Problem.id)
    chosen = select(Problem.id).where(Problem.status.in_(OPEN_STATUSES)).order_by(*due_first).limit(limit)
    if narrows_projects(cohort):  # only when a filter or the scope needs it
        chosen = chosen.where(Problem.project_id.in_(project_ids(cohort)))
    found = db.session.execute(
        select(Project.id, Project.name, Problem.description, Problem.responsible_unit, Problem.due_date)
        .join(Project, Project.id == Problem.project_id).where(Problem.id.in_(chosen.scalar_subquery()))
        .order_by(*due_first))
    return [OpenProblem(ProjectName(r.id, r.name), r.description, r.responsible_unit, r.due_date) for r in found]


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
