"""Reads of projects: the one scope function, list filters, lateness, funds totals and open items."""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import joinedload

from crm.core import settings
from crm.core.scope import scope_to_parks
from crm.extensions import db
from crm.parks.models import Park
from crm.projects.models import (
    FUNDS_COUNTED_SOURCES,
    FUNDS_COUNTED_USES,
    FundsEntry,
    Problem,
    ProblemStatus,
    Project,
    ReviewStatus,
    StageChange,
    Supervision,
)
from crm.projects.stages import Stage

BEFORE_SIGNED = (Stage.lead, Stage.negotiating)
BEFORE_STARTED = (Stage.lead, Stage.negotiating, Stage.signed, Stage.preparing)
OPEN_PROBLEM = (ProblemStatus.open, ProblemStatus.in_hand)
# 亿 bands in 万元: (key, label, low, high)
AMOUNT_BANDS = [
    ("lt1", "1亿以下", None, Decimal("10000")),
    ("1to5", "1–5亿", Decimal("10000"), Decimal("50000")),
    ("5to10", "5–10亿", Decimal("50000"), Decimal("100000")),
    ("10to100", "10–100亿", Decimal("100000"), Decimal("1000000")),
    ("ge100", "100亿及以上", Decimal("1000000"), None),
]


def visible_projects(user) -> Select:
    """Every list, page, board, API and export of projects starts here."""
    return scope_to_parks(select(Project), Project.park_id, user)


def with_relations(query: Select) -> Select:
    """Company, park, event and officer in the same query: a page costs the same for 5 or 40 rows."""
    return query.options(joinedload(Project.company), joinedload(Project.park), joinedload(Project.event),
                         joinedload(Project.officer))


def project_by_id(user, project_id: int) -> Select:
    return with_relations(visible_projects(user).where(Project.id == project_id))


def late_condition(today: date):
    """A planned date passed without the fact it plans: the SQL twin of `is_late`."""
    return or_(
        and_(Project.planned_sign_date < today, Project.stage.in_(BEFORE_SIGNED)),
        and_(Project.planned_start_date < today, Project.stage.in_(BEFORE_STARTED)),
        and_(Project.planned_production_date < today, Project.stage.not_in((Stage.producing, Stage.dropped))),
    )


def is_late(project: Project, today: date) -> bool:
    stage = project.stage
    if stage == Stage.dropped:
        return False
    checks = [(project.planned_sign_date, BEFORE_SIGNED), (project.planned_start_date, BEFORE_STARTED),
              (project.planned_production_date, tuple(s for s in Stage if s != Stage.producing))]
    return any(planned is not None and planned < today and stage in stages for planned, stages in checks)


def late_projects(user, today: date) -> Select:
    return visible_projects(user).where(late_condition(today))


def has_open_problems():
    return exists().where(Problem.project_id == Project.id, Problem.status.in_(OPEN_PROBLEM))


@dataclass
class Filters:
    stage: str = ""
    park: str = ""
    event: int | None = None
    industry: int | None = None
    officer: int | None = None
    leader: str = ""
    amount: str = ""
    late: bool = False
    problems: bool = False
    q: str = ""

    @classmethod
    def from_args(cls, args) -> "Filters":
        return cls(stage=args.get("stage", ""), park=args.get("park", ""), event=args.get("event", type=int),
                   industry=args.get("industry", type=int), officer=args.get("officer", type=int),
                   leader=args.get("leader", "").strip(), amount=args.get("amount", ""),
                   late=args.get("late") == "1", problems=args.get("problems") == "1", q=args.get("q", "").strip())

    def as_args(self) -> dict:
        values = {k: v for k, v in vars(self).items() if v not in ("", None, False)}
        return {k: ("1" if v is True else v) for k, v in values.items()}


def filtered(user, filters: Filters, today: date) -> Select:
    query = visible_projects(user)
    simple = [(filters.stage, Project.stage), (filters.event, Project.event_id),
              (filters.industry, Project.industry_id), (filters.officer, Project.officer_id)]
    for value, column in simple:
        if value:
            query = query.where(column == value)
    if filters.park:
        parks = select(Park.id).where(or_(Park.code == filters.park, Park.parent.has(Park.code == filters.park)))
        query = query.where(Project.park_id.in_(parks))
    if filters.leader:
        query = query.where(Project.contact_leader.contains(filters.leader))
    if filters.q:
        query = query.where(Project.name.contains(filters.q))
    query = _amount_band(query, filters.amount)
    if filters.late:
        query = query.where(late_condition(today))
    if filters.problems:
        query = query.where(has_open_problems())
    return with_relations(query).order_by(Project.id.desc())


def _amount_band(query: Select, key: str) -> Select:
    for band, _label, low, high in AMOUNT_BANDS:
        if band == key:
            if low is not None:
                query = query.where(Project.agreed_investment >= low)
            if high is not None:
                query = query.where(Project.agreed_investment < high)
    return query


def open_problem_counts(project_ids: list[int]) -> dict[int, int]:
    if not project_ids:
        return {}
    rows = db.session.execute(select(Problem.project_id, func.count()).where(
        Problem.project_id.in_(project_ids), Problem.status.in_(OPEN_PROBLEM)).group_by(Problem.project_id))
    return dict(rows.all())


def open_problems(user) -> Select:
    """Open problems of the projects the user may see, oldest due first (park page, dashboard)."""
    return (select(Problem).join(Project).where(Project.id.in_(visible_projects(user).with_only_columns(Project.id)))
            .where(Problem.status.in_(OPEN_PROBLEM))
            .options(joinedload(Problem.project))
            .order_by(Problem.due_date.is_(None), Problem.due_date, Problem.id))


def counted_funds_condition():
    return and_(FundsEntry.review_status == ReviewStatus.approved, FundsEntry.superseded_by_id.is_(None),
                FundsEntry.source.in_(settings.get(FUNDS_COUNTED_SOURCES) or []),
                FundsEntry.use.in_(settings.get(FUNDS_COUNTED_USES) or []))


def funds_arrived(project_id: int) -> Decimal:
    total = db.session.scalar(select(func.sum(FundsEntry.amount))
                              .where(FundsEntry.project_id == project_id, counted_funds_condition()))
    return Decimal(total or 0)


def funds_history(project_id: int) -> list[FundsEntry]:
    return db.session.scalars(select(FundsEntry).where(FundsEntry.project_id == project_id)
                              .options(joinedload(FundsEntry.entered_by))
                              .order_by(FundsEntry.period.desc(), FundsEntry.id.desc())).all()


def stage_history(project_id: int) -> list[StageChange]:
    return db.session.scalars(select(StageChange).where(StageChange.project_id == project_id)
                              .options(joinedload(StageChange.actor)).order_by(StageChange.id)).all()


def pending_changes(user) -> Select:
    scoped = visible_projects(user).with_only_columns(Project.id)
    return (select(StageChange).where(StageChange.review_status == ReviewStatus.pending,
                                      StageChange.project_id.in_(scoped))
            .options(joinedload(StageChange.actor)).order_by(StageChange.id))


def pending_funds(user) -> Select:
    scoped = visible_projects(user).with_only_columns(Project.id)
    return (select(FundsEntry).where(FundsEntry.review_status == ReviewStatus.pending,
                                     FundsEntry.superseded_by_id.is_(None), FundsEntry.project_id.in_(scoped))
            .options(joinedload(FundsEntry.project), joinedload(FundsEntry.entered_by)).order_by(FundsEntry.id))


def needs_update(user, today: date, now) -> Select:
    """Signed-or-later projects not yet producing with no funds this month or no stage change in 30 days."""
    month = today.replace(day=1)
    funds_this_month = exists().where(FundsEntry.project_id == Project.id, FundsEntry.period == month)
    recent_change = exists().where(StageChange.project_id == Project.id, StageChange.at >= now - timedelta(days=30))
    return (visible_projects(user)
            .where(Project.stage.in_((Stage.signed, Stage.preparing, Stage.started)))
            .where(or_(~funds_this_month, ~recent_change))
            .options(joinedload(Project.park)).order_by(Project.id))


def open_supervisions_owned(user) -> Select:
    return (select(Supervision).where(Supervision.owner_id == user.id, Supervision.closed_at.is_(None))
            .options(joinedload(Supervision.project)).order_by(Supervision.due_date.is_(None), Supervision.due_date))


def project_supervisions(project_id: int) -> list[Supervision]:
    return db.session.scalars(select(Supervision).where(Supervision.project_id == project_id)
                              .options(joinedload(Supervision.owner))
                              .order_by(Supervision.closed_at.is_not(None), Supervision.id.desc())).all()
