"""Reads of companies: the scoped base query, filters and search, who-else and the timeline."""
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ARRAY, Integer, Select, and_, any_, exists, false, func, literal, or_, select, true
from sqlalchemy.orm import selectinload

from crm.companies.models import Company, CompanyMerge, CompanyTier, ContactLog
from crm.companies.names import basic_norm, compact_code, looks_like_code, normalise_name
from crm.core.audit import AuditEntry
from crm.core.db import utcnow
from crm.core.scope import scope_to_parks, visible_park_ids
from crm.extensions import db
from crm.projects.models import Project
from crm.projects.stages import STAGE_LABELS, Stage

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
_PINYIN = re.compile(r"^[a-z0-9]+$")


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


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def parse_filters(args) -> Filters:
    stale = _int(args.get("stale_days"))
    return Filters(
        q=(args.get("q") or "").strip()[:100], tier=(args.get("tier") or "").strip()[:40],
        ownership=(args.get("ownership") or "").strip()[:10], industry=_int(args.get("industry")),
        province=(args.get("province") or "").strip()[:40], officer=_int(args.get("officer")),
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


def search_condition(q: str):
    norm, plain = normalise_name(q), basic_norm(q)
    conditions = [Company.name.contains(q, autoescape=True)]
    if norm:
        conditions += [Company.name_norm.contains(norm, autoescape=True),
                       Company.former_norms.contains(norm, autoescape=True)]
    if looks_like_code(q):
        conditions.append(Company.credit_code == compact_code(q))
    if _PINYIN.match(plain):  # a range, not LIKE 'x%': SQLite's LIKE is case-blind and skips the index
        conditions += [and_(Company.pinyin_full >= plain, Company.pinyin_full < plain + "\U0010ffff"),
                       Company.pinyin_initials.contains(plain, autoescape=True)]
    return or_(*conditions)


def apply_filters(query: Select, f: Filters, *, today: date) -> Select:
    if f.q:
        query = query.where(search_condition(f.q))
    if f.tier:
        query = query.where(exists().where(CompanyTier.company_id == Company.id, CompanyTier.tier == f.tier))
    if f.ownership:
        query = query.where(Company.ownership == f.ownership)
    if f.industry:
        query = query.where(Company.industry_id == f.industry)
    if f.province:
        query = query.where(Company.hq_province == f.province)
    if f.officer:
        query = query.where(Company.officer_id == f.officer)
    if f.open_project:
        query = query.where(open_project_exists())
    if f.stale_days:
        cutoff = today - timedelta(days=f.stale_days)
        query = query.where(or_(Company.last_contact_on.is_(None), Company.last_contact_on < cutoff))
    return query


LIST_OPTIONS = (selectinload(Company.industry), selectinload(Company.officer), selectinload(Company.tiers))


def company_list(user, f: Filters, *, today: date) -> Select:
    query = apply_filters(visible_companies(user), f, today=today)
    return query.options(*LIST_OPTIONS).order_by(*SORTS[f.sort])


def company_list_ids(user, f: Filters, *, today: date) -> Select:
    """The list's ids in order, for paginate_ids: a far page reads only the sort index."""
    query = apply_filters(select(Company.id).where(Company.merged_into_id.is_(None), visible_clause(user)), f,
                          today=today)
    return query.order_by(*SORTS[f.sort])


def search_narrowing(f: Filters):
    """For paginate_ids: a search sorts its few matching ids itself (None when there is no search)."""
    if not f.q:
        return None
    return lambda ids: select(Company.id).where(_id_among(ids)).order_by(*SORTS[f.sort])


def _id_among(ids: list[int]):
    """Up to 10,000 ids: one array parameter on PostgreSQL (thousands of binds cost more than the query)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return Company.id == any_(literal(ids, ARRAY(Integer)))
    return Company.id.in_(ids)


def companies_by_ids(ids) -> list[Company]:
    return db.session.scalars(select(Company).where(Company.id.in_(ids)).options(*LIST_OPTIONS)).all()


WHO_ELSE_LIMIT = 20


def _first_per(query: Select, model, partition, order) -> Select:
    """The first row of each group, chosen in SQL, so a company with thousands of logs sends a handful."""
    ranked = query.add_columns(func.row_number().over(partition_by=partition, order_by=order).label("n")).subquery()
    return (select(model).join(ranked, and_(ranked.c.id == model.id, ranked.c.n == 1))
            .order_by(*order).limit(WHO_ELSE_LIMIT))


def who_else(company: Company, *, today: date, exclude_user_id: int | None = None) -> list[dict]:
    """Officers, units and parks with an open project or a log in the last 90 days (防撞单): one row per
    officer and park for projects and per officer for logs, at most WHO_ELSE_LIMIT of each."""
    open_projects = select(Project.id).where(Project.company_id == company.id, Project.stage.not_in(OPEN_EXCLUDED))
    projects = db.session.scalars(
        _first_per(open_projects, Project, (Project.officer_id, Project.park_id), (Project.id.asc(),))
        .options(selectinload(Project.park), selectinload(Project.officer))).all()
    recent = select(ContactLog.id).where(ContactLog.company_id == company.id,
                                         ContactLog.date >= today - timedelta(days=90))
    if exclude_user_id is not None:
        recent = recent.where(or_(ContactLog.officer_id.is_(None), ContactLog.officer_id != exclude_user_id))
    logs = db.session.scalars(
        _first_per(recent, ContactLog, (ContactLog.officer_id,), (ContactLog.date.desc(), ContactLog.id.desc()))
        .options(selectinload(ContactLog.officer))).all()
    rows = [{"officer": p.officer.name if p.officer else "", "officer_id": p.officer_id,
             "unit": p.responsible_unit or (p.officer.unit if p.officer else ""),
             "park": p.park.name if p.park else "", "what": STAGE_LABELS.get(p.stage, p.stage),
             "kind": "project", "since": p.created_at.date() if p.created_at else None} for p in projects]
    rows += [{"officer": log.officer.name if log.officer else "", "officer_id": log.officer_id,
              "unit": log.officer.unit if log.officer else "", "park": "", "what": log.kind,
              "kind": "log", "since": log.date} for log in logs]
    return rows


def _at(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time.max).replace(tzinfo=utcnow().tzinfo)


TIMELINE_STEP, TIMELINE_MAX = 50, 500


def timeline(company: Company, *, limit: int = TIMELINE_STEP) -> list[dict]:
    """The newest `limit` logs, projects, merges and recorded changes of the company (the page asks for more)."""
    logs = db.session.scalars(select(ContactLog).where(ContactLog.company_id == company.id)
                              .options(selectinload(ContactLog.officer), selectinload(ContactLog.contacts))
                              .order_by(ContactLog.date.desc(), ContactLog.id.desc()).limit(limit)).all()
    projects = db.session.scalars(select(Project).where(Project.company_id == company.id)
                                  .options(selectinload(Project.park)).order_by(Project.id.desc()).limit(limit)).all()
    merges = merges_into(company)
    changes = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "companies",
                                                          AuditEntry.object_id == company.id)
                                 .order_by(AuditEntry.id.desc()).limit(limit)).all()
    items = [{"kind": "log", "at": _at(x.date), "obj": x} for x in logs]
    items += [{"kind": "project", "at": _at(x.created_at), "obj": x} for x in projects]
    items += [{"kind": "merge", "at": _at(x.at), "obj": x} for x in merges]
    items += [{"kind": "change", "at": _at(x.at), "obj": x} for x in changes]
    return sorted(items, key=lambda i: i["at"], reverse=True)[:limit]


def merges_into(company: Company) -> list[CompanyMerge]:
    return db.session.scalars(select(CompanyMerge).where(CompanyMerge.kept_id == company.id)
                              .order_by(CompanyMerge.at.desc())).all()


def follow_ups_due(user, *, today: date, limit: int = 20) -> list[ContactLog]:
    """The officer's newest log per company whose next follow-up date is today or past."""
    newest = (select(ContactLog.id, func.row_number().over(
        partition_by=ContactLog.company_id, order_by=(ContactLog.date.desc(), ContactLog.id.desc())).label("n"))
        .where(ContactLog.officer_id == user.id).subquery())
    query = (select(ContactLog).join(newest, and_(newest.c.id == ContactLog.id, newest.c.n == 1))
             .where(ContactLog.next_follow_up <= today)
             .options(selectinload(ContactLog.company)).order_by(ContactLog.next_follow_up).limit(limit))
    return db.session.scalars(query).all()
