"""Reads of companies: the scoped base query, the list's filters and sorts, follow-ups due."""
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, exists, false, func, or_, select, true
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from crm.companies.models import Company, CompanyTier, ContactLog
from crm.companies.search import search_condition
from crm.core.params import query_int
from crm.core.scope import scope_to_parks, visible_park_ids
from crm.extensions import db
from crm.projects.models import Project
from crm.projects.stages import Stage

OPEN_EXCLUDED = (Stage.dropped, Stage.producing)
# Each sort walks one index of live companies (models.py) in one direction, the id breaking ties the same way,
# so a page is read off the index instead of sorting 100,000 rows; ids grow with creation, hence "created".
SORTS = {
    "updated": (Company.updated_at.desc(), Company.id.desc()),
    "name": (Company.pinyin_full.asc(), Company.id.asc()),
    "last_contact": (Company.last_contact_on.desc(), Company.id.desc()),
    "stale": (Company.last_contact_on.asc(), Company.id.asc()),
    "revenue": (Company.revenue.desc(), Company.id.desc()),
    "created": (Company.id.desc(),),
}


@dataclass
class Filters:
    q: str = ""
    tier: str = ""
    ownership: str = ""
    industry: int | None = None
    province: str = ""
    officer: int | None = None
    open_project: bool = False
    stale_days: int | None = None
    sort: str = "updated"

    def args(self) -> dict:
        """Non-empty values, for links that keep the current filters (pager, sort, export)."""
        return {k: v for k, v in asdict(self).items() if v not in ("", None, False)}


def parse_filters(args) -> Filters:
    stale = query_int(args, "stale_days", low=0, high=100_000)
    return Filters(
        q=(args.get("q") or "").strip()[:100], tier=(args.get("tier") or "").strip()[:40],
        ownership=(args.get("ownership") or "").strip()[:10], industry=query_int(args, "industry"),
        province=(args.get("province") or "").strip()[:40], officer=query_int(args, "officer"),
        open_project=args.get("open_project") in ("1", "true", "on", "yes"),
        stale_days=stale if stale and stale > 0 else None,
        sort=args.get("sort") if args.get("sort") in SORTS else "updated",
    )


def open_project_exists():
    return exists().where(Project.company_id == Company.id, Project.stage.not_in(OPEN_EXCLUDED))


def visible_clause(user):
    """Park staff see a company only when it has a project in one of their parks."""
    park_ids = visible_park_ids(user)
    if park_ids is None:
        return true()
    in_parks = scope_to_parks(select(Project.id).where(Project.company_id == Company.id), Project.park_id, user)
    return in_parks.exists() if park_ids else false()


def visible_companies(user) -> Select:
    """Live (not merged) companies the user may see."""
    return select(Company).where(Company.merged_into_id.is_(None), visible_clause(user))


def company_by_id(user, company_id: int) -> Select:
    """Merged records stay readable, so old links can point to the kept one."""
    return select(Company).where(Company.id == company_id, visible_clause(user))


def apply_filters(query: Select, f: Filters, *, today: date, column=lambda c: c, candidates=None) -> Select:
    """column(c) is what a filter compares in place of column c (see company_list_ids); candidates
    (search.candidates): the companies worth testing the search condition on, or the matches themselves."""
    if candidates is not None:
        query = query.where(column(Company.id).in_(candidates.ids))
    if f.q and not (candidates is not None and candidates.exact):
        query = query.where(search_condition(f.q))
    if f.tier:  # IN, not EXISTS: a count reads the tier's companies off its index instead of probing every company
        query = query.where(column(Company.id).in_(select(CompanyTier.company_id).where(CompanyTier.tier == f.tier)))
    if f.ownership:
        query = query.where(column(Company.ownership) == f.ownership)
    if f.industry:
        query = query.where(column(Company.industry_id) == f.industry)
    if f.province:
        query = query.where(column(Company.hq_province) == f.province)
    if f.officer:
        query = query.where(column(Company.officer_id) == f.officer)
    if f.open_project:
        query = query.where(open_project_exists())
    if f.stale_days:
        cutoff = today - timedelta(days=f.stale_days)
        query = query.where(or_(column(Company.last_contact_on).is_(None), column(Company.last_contact_on) < cutoff))
    return query


def live_holders_count(tier: str):
    """How many live companies hold `tier`, read off the tier index alone: its holders (a company may hold it in
    several years) less those merged away, who are few. Counting the list's matches instead tests every live
    company against the tier's holders."""
    holders = func.count(CompanyTier.company_id.distinct())
    # The merged ones as an IN list, found on the merged_into_id index: as a join, SQLite walked the tier's
    # holders and read each one's company (6 ms for 4,236 holders, against 0.01 ms).
    merged_ids = select(Company.id).where(Company.merged_into_id.is_not(None))
    merged = select(holders).where(CompanyTier.tier == tier, CompanyTier.company_id.in_(merged_ids))
    return select(holders).where(CompanyTier.tier == tier).scalar_subquery() - merged.scalar_subquery()


def unindexed(column):
    """+column: SQLite's no-op, which its planner cannot look up in an index."""
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


LIST_OPTIONS = (selectinload(Company.industry), selectinload(Company.officer), selectinload(Company.tiers))


def company_for_page(user, company_id: int) -> Company | None:
    """The company page's company with what it shows of it (industry, officer, tiers, contacts) loaded with it,
    not one by one; None when the user may not see it. Built once for users who see every company."""
    if visible_park_ids(user) is None:
        return db.session.scalars(_page_statement(), {"company_id": company_id}).first()
    return db.session.scalars(company_by_id(user, company_id).options(*_page_options()).limit(1)).first()


def _page_options() -> tuple:
    return (joinedload(Company.industry), joinedload(Company.officer), selectinload(Company.tiers),
            selectinload(Company.contacts))


@cache
def _page_statement():
    return select(Company).where(Company.id == bindparam("company_id")).options(*_page_options()).limit(1)


def company_list(user, f: Filters, *, today: date) -> Select:
    query = apply_filters(visible_companies(user), f, today=today)
    return query.options(*LIST_OPTIONS).order_by(*SORTS[f.sort])


def company_list_ids(user, f: Filters, *, today: date, candidates=None, along_sort_index: bool = False) -> Select:
    """The list's ids in order (listing.page). candidates: see apply_filters. along_sort_index: matches are
    dense enough for a walk along the sort index to find a page of them soon; SQLite would rather read every
    match through a filter's index and sort them, so its filters then compare +column, which no index serves."""
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    query = apply_filters(select(Company.id).where(Company.merged_into_id.is_(None), visible_clause(user)), f,
                          today=today, column=unindexed if along_sort_index and sqlite else lambda c: c,
                          candidates=candidates)
    return query.order_by(*SORTS[f.sort])


def follow_ups_due(user, *, today: date, limit: int = 20) -> list[ContactLog]:
    """The user's open follow-ups due today or past, newest due first (crm.agenda.followups says when one is open)."""
    from crm.agenda.followups import due_for  # the agenda reads this domain's models: imported when asked

    return due_for(user, today=today, limit=limit)[0]
