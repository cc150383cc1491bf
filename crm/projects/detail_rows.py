"""The project page's lists as plain rows: read-only, they need no entities, which cost the page about four times
as much to load (and twice as much on PostgreSQL). Each statement is built once, with the project as a parameter.
The API keeps the entities of queries.py, whose serialisers read them."""
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.engine import Row

from crm.auth.models import User
from crm.companies.models import ContactLog
from crm.projects.listing import user_name
from crm.projects.models import FundsEntry, Problem, ProjectTask, StageChange, Supervision
from crm.projects.queries import read

LOGS_SHOWN = 50
_PROJECT = bindparam("project_id")


def _rows(statement: Select, project_id: int) -> list[Row]:
    return read(statement, {"project_id": project_id})


@cache
def _funds() -> Select:
    return (select(FundsEntry.id, FundsEntry.period, FundsEntry.amount, FundsEntry.source, FundsEntry.use,
                   FundsEntry.evidence, FundsEntry.attachment, FundsEntry.superseded_by_id, FundsEntry.review_status,
                   FundsEntry.review_comment, FundsEntry.created_at, user_name(User).label("entered_by_name"))
            .outerjoin(User, User.id == FundsEntry.entered_by_id).where(FundsEntry.project_id == _PROJECT)
            .order_by(FundsEntry.period.desc(), FundsEntry.id.desc()))


def funds(project_id: int) -> list[Row]:
    """Every funds entry, latest month first, corrected ones included (shown struck through)."""
    return _rows(_funds(), project_id)


@cache
def _history() -> Select:
    return (select(StageChange.id, StageChange.from_stage, StageChange.to_stage, StageChange.fact_date,
                   StageChange.facts, StageChange.comment, StageChange.at, StageChange.is_undo,
                   StageChange.review_status, StageChange.review_comment, user_name(User).label("actor_name"))
            .outerjoin(User, User.id == StageChange.actor_id).where(StageChange.project_id == _PROJECT)
            .order_by(StageChange.id))


def history(project_id: int) -> list[Row]:
    """The stage changes in the order they were made (services.last_undoable reads the same fields)."""
    return _rows(_history(), project_id)


@cache
def _supervisions() -> Select:
    return (select(Supervision.id, Supervision.instruction, Supervision.leader, Supervision.owner_id,
                   Supervision.due_date, Supervision.closed_at, Supervision.closing_note,
                   user_name(User).label("owner_name"))
            .outerjoin(User, User.id == Supervision.owner_id).where(Supervision.project_id == _PROJECT)
            .order_by(Supervision.closed_at.is_not(None), Supervision.id.desc()))


def supervisions(project_id: int) -> list[Row]:
    """Open ones first, newest first."""
    return _rows(_supervisions(), project_id)


@cache
def _problems() -> Select:
    return (select(Problem.id, Problem.description, Problem.category, Problem.raised_on, Problem.responsible_unit,
                   Problem.due_date, Problem.status, Problem.resolution)
            .where(Problem.project_id == _PROJECT)
            .order_by(Problem.status.in_(("solved", "cannot_solve")), Problem.id.desc()))


def problems(project_id: int) -> list[Row]:
    """Unsolved ones first, newest first."""
    return _rows(_problems(), project_id)


@cache
def _tasks() -> Select:
    return (select(ProjectTask.id, ProjectTask.kind, ProjectTask.description, ProjectTask.owner,
                   ProjectTask.due_date, ProjectTask.done)
            .where(ProjectTask.project_id == _PROJECT).order_by(ProjectTask.kind, ProjectTask.id))


def tasks(project_id: int) -> list[Row]:
    return _rows(_tasks(), project_id)


@cache
def _logs() -> Select:
    return (select(ContactLog.date, ContactLog.kind, ContactLog.summary, ContactLog.next_step,
                   ContactLog.next_follow_up, user_name(User).label("officer_name"))
            .outerjoin(User, User.id == ContactLog.officer_id).where(ContactLog.project_id == _PROJECT)
            .order_by(ContactLog.date.desc()).limit(LOGS_SHOWN))


def logs(project_id: int) -> list[Row]:
    """The latest contact logs about the project."""
    return _rows(_logs(), project_id)
