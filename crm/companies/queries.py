"""Reads of companies: the scoped base query, filters and search, who-else and the timeline."""
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, and_, exists, false, func, or_, select, true
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
SORTS = {
    "updated": (Company.updated_at.desc(),),
    "name": (Company.pinyin_full.asc(),),
    "last_contact": (Company.last_contact_on.desc(),),
    "stale": (Company.last_contact_on.asc(),),
    "revenue": (Company.revenue.desc(),),
    "created": (Company.created_at.desc(),),
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
    if _PINYIN.match(plain):
        conditions += [Company.pinyin_full.startswith(plain, autoescape=True),
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


def company_list(user, f: Filters, *, today: date) -> Select:
    query = apply_filters(visible_companies(user), f, today=today)
    return (query.options(selectinload(Company.industry), selectinload(Company.officer),
                          selectinload(Company.tiers))
            .order_by(*SORTS[f.sort], Company.id.desc()))


def who_else(company: Company, *, today: date, exclude_user_id: int | None = None) -> list[dict]:
    """Officers, units and parks with an open project or a log in the last 90 days (防撞单)."""
    projects = db.session.scalars(
        select(Project).where(Project.company_id == company.id, Project.stage.not_in(OPEN_EXCLUDED))
        .options(selectinload(Project.park), selectinload(Project.officer))).all()
    logs = db.session.scalars(
        select(ContactLog).where(ContactLog.company_id == company.id, ContactLog.date >= today - timedelta(days=90))
        .options(selectinload(ContactLog.officer)).order_by(ContactLog.date.desc())).all()
    seen, rows = set(), []
    for p in projects:
        key = ("p", p.officer_id, p.park_id)
        if key not in seen:
            seen.add(key)
            rows.append({"officer": p.officer.name if p.officer else "", "officer_id": p.officer_id,
                         "unit": p.responsible_unit or (p.officer.unit if p.officer else ""),
                         "park": p.park.name if p.park else "", "what": STAGE_LABELS.get(p.stage, p.stage),
                         "kind": "project", "since": p.created_at.date() if p.created_at else None})
    for log in logs:
        key = ("l", log.officer_id)
        if key not in seen and log.officer_id != exclude_user_id:
            seen.add(key)
            rows.append({"officer": log.officer.name if log.officer else "", "officer_id": log.officer_id,
                         "unit": log.officer.unit if log.officer else "", "park": "", "what": log.kind,
                         "kind": "log", "since": log.date})
    return rows


def _at(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time.max).replace(tzinfo=utcnow().tzinfo)


def timeline(company: Company, *, limit: int = 100) -> list[dict]:
    """Logs, projects, merges and recorded changes of the company, newest first."""
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
