"""Who is working on a company and what happened to it: the company page's 防撞单 card and its timeline.

Both read plain rows with the officer's and park's names joined in, not entities with relationship loads:
the page shows 50 timeline items and up to 40 who-else rows, and each entity costs more than its row.
The statements are built once per process with bound parameters (`functools.cache`): building a statement
with a window function costs SQLAlchemy a few times more than running it.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from sqlalchemy import Integer, and_, bindparam, func, or_, select

from crm.auth.models import User
from crm.companies.listing import url_maker
from crm.companies.models import Company, CompanyMerge, Contact, ContactLog, contact_log_contacts
from crm.companies.queries import OPEN_EXCLUDED
from crm.core.audit import AuditEntry
from crm.core.db import utcnow
from crm.core.scope import scope_to_parks
from crm.extensions import db
from crm.parks.models import Park
from crm.projects.models import Project
from crm.projects.stages import STAGE_LABELS

WHO_ELSE_LIMIT = 20
TIMELINE_STEP, TIMELINE_MAX = 20, 500  # the newest 20 at first (a company's recent months), 20 more per click
RECENT_DAYS = 90


def _user_name(display_name: str | None, username: str | None) -> str:
    """User.name of an outer-joined user, "" when there is none."""
    return (display_name or username) if username is not None else ""


def _first_of_each(ids, partition, order):
    """The first row of each group, chosen in SQL (so a company with thousands of logs sends a handful): the
    ids numbered within their group, for the caller to join back on n = 1."""
    return ids.add_columns(func.row_number().over(partition_by=partition, order_by=order).label("n")).subquery()


@cache
def _open_projects_statement():
    order = (Project.id.asc(),)
    ranked = _first_of_each(select(Project.id).where(Project.company_id == bindparam("company_id"),
                                                     Project.stage.not_in(OPEN_EXCLUDED)),
                            (Project.officer_id, Project.park_id), order)
    return (select(Project.officer_id, Project.responsible_unit, Project.stage, Project.created_at, Park.name,
                   User.display_name, User.username, User.unit)
            .join(ranked, and_(ranked.c.id == Project.id, ranked.c.n == 1))
            .outerjoin(Park, Park.id == Project.park_id).outerjoin(User, User.id == Project.officer_id)
            .order_by(*order).limit(WHO_ELSE_LIMIT))


@cache
def _recent_logs_statement(excluding_an_officer: bool):
    order = (ContactLog.date.desc(), ContactLog.id.desc())
    recent = select(ContactLog.id).where(ContactLog.company_id == bindparam("company_id"),
                                         ContactLog.date >= bindparam("since"))
    if excluding_an_officer:
        recent = recent.where(or_(ContactLog.officer_id.is_(None), ContactLog.officer_id != bindparam("excluded")))
    ranked = _first_of_each(recent, (ContactLog.officer_id,), order)
    return (select(ContactLog.officer_id, ContactLog.kind, ContactLog.date, User.display_name, User.username,
                   User.unit)
            .join(ranked, and_(ranked.c.id == ContactLog.id, ranked.c.n == 1))
            .outerjoin(User, User.id == ContactLog.officer_id).order_by(*order).limit(WHO_ELSE_LIMIT))


def who_else(company: Company, *, user, today: date, exclude_user_id: int | None = None) -> list[dict]:
    """Officers, units and parks with an open project or a log in the last 90 days (防撞单): one row per
    officer and park for projects and per officer for logs, at most WHO_ELSE_LIMIT of each. Projects of the
    parks the user may see (park staff: their own)."""
    projects = db.session.execute(scope_to_parks(_open_projects_statement(), Project.park_id, user),
                                  {"company_id": company.id}).all()
    params = {"company_id": company.id, "since": today - timedelta(days=RECENT_DAYS)}
    if exclude_user_id is not None:
        params["excluded"] = exclude_user_id
    logs = db.session.execute(_recent_logs_statement(exclude_user_id is not None), params).all()
    rows = [{"officer": _user_name(p.display_name, p.username), "officer_id": p.officer_id,
             "unit": p.responsible_unit or (p.unit if p.username is not None else ""),
             "park": p.name or "", "what": STAGE_LABELS.get(p.stage, p.stage),
             "kind": "project", "since": p.created_at.date() if p.created_at else None} for p in projects]
    rows += [{"officer": _user_name(log.display_name, log.username), "officer_id": log.officer_id,
              "unit": log.unit if log.username is not None else "", "park": "", "what": log.kind,
              "kind": "log", "since": log.date} for log in logs]
    return rows


@dataclass(slots=True)
class LogItem:
    """A contact log as its timeline item shows it (templates/companies/_timeline.html)."""

    id: int
    date: date
    kind: str
    officer_name: str
    contact_names: list[str]
    summary: str
    next_step: str
    next_follow_up: date | None
    edit_url: str


@dataclass(slots=True)
class ProjectItem:
    created_at: datetime
    name: str
    park_name: str
    stage: str


def _at(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time.max).replace(tzinfo=utcnow().tzinfo)


@cache
def _timeline_statements() -> dict:
    company, limit = bindparam("company_id"), bindparam("limit", type_=Integer)
    return {
        "logs": select(ContactLog.id, ContactLog.date, ContactLog.kind, User.display_name, User.username,
                       ContactLog.summary, ContactLog.next_step, ContactLog.next_follow_up)
        .outerjoin(User, User.id == ContactLog.officer_id).where(ContactLog.company_id == company)
        .order_by(ContactLog.date.desc(), ContactLog.id.desc()).limit(limit),
        "contacts": select(contact_log_contacts.c.log_id, Contact.name)
        .join(Contact, Contact.id == contact_log_contacts.c.contact_id)
        .where(contact_log_contacts.c.log_id.in_(bindparam("log_ids", expanding=True)))
        .order_by(contact_log_contacts.c.log_id, Contact.id),
        "projects": select(Project.id, Project.created_at, Project.name, Park.name.label("park_name"), Project.stage)
        .outerjoin(Park, Park.id == Project.park_id).where(Project.company_id == company)
        .order_by(Project.id.desc()),
        "changes": select(AuditEntry).where(AuditEntry.object_type == "companies", AuditEntry.object_id == company)
        .order_by(AuditEntry.id.desc()).limit(limit),
        "merges": select(CompanyMerge).where(CompanyMerge.kept_id == company).order_by(CompanyMerge.at.desc()),
    }


def more_limit(limit: int) -> int | None:
    """The timeline's limit after one more "更多" click; None once it shows TIMELINE_MAX items."""
    return min(limit + TIMELINE_STEP, TIMELINE_MAX) if limit < TIMELINE_MAX else None


def company_projects(company: Company, user) -> list:
    """The company's projects in the parks the user may see, newest first (id, created_at, name, park_name,
    stage): for the timeline and for the log form's choice of project, read once. As many as there are, like
    the form always read."""
    statement = scope_to_parks(_timeline_statements()["projects"], Project.park_id, user)
    return db.session.execute(statement, {"company_id": company.id}).all()


def timeline(company: Company, *, user, limit: int = TIMELINE_STEP, merges: list[CompanyMerge] | None = None,
             projects: list | None = None) -> list[dict]:
    """The newest `limit` logs, projects, merges and recorded changes of the company (the page asks for more);
    merges and projects: merges_into(company) and company_projects(company, user) when the caller has them
    already; the projects are those of the parks the user may see."""
    statements, params = _timeline_statements(), {"company_id": company.id, "limit": limit}
    logs = _logs(db.session.execute(statements["logs"], params).all())
    projects = company_projects(company, user) if projects is None else projects
    projects = [ProjectItem(p.created_at, p.name, p.park_name or "", p.stage) for p in projects[:limit]]
    merges = merges_into(company) if merges is None else merges
    changes = db.session.scalars(statements["changes"], params).all()
    items = [{"kind": "log", "at": _at(x.date), "obj": x} for x in logs]
    items += [{"kind": "project", "at": _at(x.created_at), "obj": x} for x in projects]
    items += [{"kind": "merge", "at": _at(x.at), "obj": x} for x in merges]
    items += [{"kind": "change", "at": _at(x.at), "obj": x} for x in changes]
    return sorted(items, key=lambda i: i["at"], reverse=True)[:limit]


def _logs(rows) -> list[LogItem]:
    names: dict[int, list[str]] = {}
    if rows:
        for log_id, name in db.session.execute(_timeline_statements()["contacts"], {"log_ids": [r.id for r in rows]}):
            names.setdefault(log_id, []).append(name)
    edit_url = url_maker("contacts.edit_log", "log_id")
    return [LogItem(r.id, r.date, r.kind, _user_name(r.display_name, r.username), names.get(r.id, []), r.summary,
                    r.next_step, r.next_follow_up, edit_url(r.id)) for r in rows]


def merges_into(company: Company) -> list[CompanyMerge]:
    return db.session.scalars(_timeline_statements()["merges"], {"company_id": company.id}).all()
