"""Reads of projects: the one scope function, list filters, lateness, funds totals and open items."""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from sqlalchemy import Row, Select, and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from crm.core import settings
from crm.core.params import query_int
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
BEFORE_PRODUCING = frozenset(s for s in Stage if s != Stage.producing)
OPEN_PROBLEM = (ProblemStatus.open, ProblemStatus.in_hand)
# 亿 bands in 万元: (key, label, low, high)
AMOUNT_BANDS = [
    ("lt1", "1亿以下", None, Decimal("10000")),
    ("1to5", "1–5亿", Decimal("10000"), Decimal("50000")),
    ("5to10", "5–10亿", Decimal("50000"), Decimal("100000")),
    ("10to100", "10–100亿", Decimal("100000"), Decimal("1000000")),
    ("ge100", "100亿及以上", Decimal("1000000"), None),
]


def read(statement, params: dict | None = None) -> list[Row]:
    """Rows of a plain column read, run on the session's connection: such reads need none of the ORM's
    statement handling, which costs 0.2–0.5 ms a statement. Nor do they autoflush: they see what is committed
    or flushed, which is all there is when a page or an answer is put together."""
    return db.session.connection().execute(statement, params or {}).all()


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
    return late_for(project.stage, project.planned_sign_date, project.planned_start_date,
                    project.planned_production_date, today)


def late_for(stage: str, planned_sign: date | None, planned_start: date | None, planned_production: date | None,
             today: date) -> bool:
    """`is_late` from the fields it reads (lists call it for every row)."""
    if stage == Stage.dropped:
        return False
    return ((planned_sign is not None and planned_sign < today and stage in BEFORE_SIGNED)
            or (planned_start is not None and planned_start < today and stage in BEFORE_STARTED)
            or (planned_production is not None and planned_production < today and stage in BEFORE_PRODUCING))


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
        return cls(stage=args.get("stage", ""), park=args.get("park", ""), event=query_int(args, "event"),
                   industry=query_int(args, "industry"), officer=query_int(args, "officer"),
                   leader=args.get("leader", "").strip(), amount=args.get("amount", ""),
                   late=args.get("late") == "1", problems=args.get("problems") == "1", q=args.get("q", "").strip())

    def as_args(self) -> dict:
        values = {k: v for k, v in vars(self).items() if v not in ("", None, False)}
        return {k: ("1" if v is True else v) for k, v in values.items()}


_PARENT_PARK = aliased(Park)  # built once: a new alias costs ~0.5 ms to set up, as did Park.parent.has()


def park_and_bases(code: str) -> list[int]:
    """Ids of the park with this code and of its bases. The park filter reads them first: given the ids, both
    databases use the (park_id, stage) index; given a subquery, they walk every project newest first."""
    return [park_id for (park_id,) in read(select(Park.id).where(or_(
        Park.code == code, Park.parent_id.in_(select(_PARENT_PARK.id).where(_PARENT_PARK.code == code)))))]


def filtered_ids(user, filters: Filters, today: date) -> Select:
    """Ids of the visible projects that pass the filters, newest first: the list and the API page and count
    these (an index-only read where the filters allow), then load the page's rows (crm/projects/listing.py)."""
    query = visible_projects(user).with_only_columns(Project.id)
    simple = [(filters.stage, Project.stage), (filters.event, Project.event_id),
              (filters.industry, Project.industry_id), (filters.officer, Project.officer_id)]
    for value, column in simple:
        if value:
            query = query.where(column == value)
    if filters.park:
        query = query.where(Project.park_id.in_(park_and_bases(filters.park)))
    if filters.leader:
        query = query.where(Project.contact_leader.contains(filters.leader))
    if filters.q:
        query = query.where(Project.name.contains(filters.q))
    query = _amount_band(query, filters.amount)
    if filters.late:
        query = query.where(late_condition(today))
    if filters.problems:
        query = query.where(has_open_problems())
    return query.order_by(Project.id.desc())


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
    return dict(read(select(Problem.project_id, func.count()).where(
        Problem.project_id.in_(project_ids), Problem.status.in_(OPEN_PROBLEM)).group_by(Problem.project_id)))


def open_problems(user) -> Select:
    """Open problems of the projects the user may see, oldest due first (park page, dashboard)."""
    return (select(Problem).join(Project).where(Project.id.in_(visible_projects(user).with_only_columns(Project.id)))
            .where(Problem.status.in_(OPEN_PROBLEM))
            .options(joinedload(Problem.project))
            .order_by(Problem.due_date.is_(None), Problem.due_date, Problem.id))


@cache
def _arrived() -> Select:
    """Counted funds of one project: approved, not superseded, of the counted sources and uses (settings).
    Built once: building it, with its lists of sources and uses, cost more than running it."""
    return select(func.sum(FundsEntry.amount)).where(
        FundsEntry.project_id == bindparam("project_id"), FundsEntry.review_status == ReviewStatus.approved,
        FundsEntry.superseded_by_id.is_(None), FundsEntry.source.in_(bindparam("sources", expanding=True)),
        FundsEntry.use.in_(bindparam("uses", expanding=True)))


def funds_arrived(project_id: int) -> Decimal:
    [(total,)] = read(_arrived(), {"project_id": project_id,
                                   "sources": list(settings.get(FUNDS_COUNTED_SOURCES) or []),
                                   "uses": list(settings.get(FUNDS_COUNTED_USES) or [])})
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
