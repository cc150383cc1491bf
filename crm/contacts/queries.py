"""Reads of contact logs and trips, always through the companies' visibility rule."""
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import selectinload

from crm.agenda.followups import closed_by_later_contact
from crm.auth.models import User
from crm.companies.models import Company, ContactLog, LogKind, Trip, contact_log_contacts
from crm.companies.queries import search_condition, visible_clause
from crm.companies.serialise import log_fields
from crm.core.pagination import COUNT_CAP, Page
from crm.core.params import query_int


@dataclass
class LogFilters:
    q: str = ""
    kind: str = ""
    officer: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    mine: bool = False
    due: bool = False

    def args(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in ("", None, False)}


def _date(text) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def parse_log_filters(args) -> LogFilters:
    return LogFilters(q=(args.get("q") or "").strip()[:100],
                      kind=args.get("kind") if args.get("kind") in {k.value for k in LogKind} else "",
                      officer=query_int(args, "officer"), date_from=_date(args.get("date_from")),
                      date_to=_date(args.get("date_to")), mine=args.get("mine") == "1", due=args.get("due") == "1")


def log_list(user, f: LogFilters, *, today: date) -> Select:
    query = select(ContactLog).join(Company, Company.id == ContactLog.company_id).where(visible_clause(user))
    if f.q:
        query = query.where(search_condition(f.q))
    if f.kind:
        query = query.where(ContactLog.kind == f.kind)
    if f.officer or f.mine:
        query = query.where(ContactLog.officer_id == (user.id if f.mine else f.officer))
    if f.date_from:
        query = query.where(ContactLog.date >= f.date_from)
    if f.date_to:
        query = query.where(ContactLog.date <= f.date_to)
    if f.due:  # open follow-ups only: a later contact by the officer or the officer's unit closes one
        query = query.where(ContactLog.next_follow_up <= today, ~closed_by_later_contact())
    return (query.options(selectinload(ContactLog.company), selectinload(ContactLog.officer),
                          selectinload(ContactLog.contacts), selectinload(ContactLog.trip))
            .order_by(ContactLog.date.desc(), ContactLog.id.desc()))


def log_by_id(user, log_id: int) -> Select:
    return (select(ContactLog).join(Company, Company.id == ContactLog.company_id)
            .where(ContactLog.id == log_id, visible_clause(user)))


def trips() -> Select:
    return select(Trip).order_by(Trip.start_date.desc().nulls_last(), Trip.id.desc())


def trip_visits(trip: Trip) -> list[ContactLog]:
    from crm.extensions import db

    return db.session.scalars(select(ContactLog).where(ContactLog.trip_id == trip.id)
                              .options(selectinload(ContactLog.company), selectinload(ContactLog.officer),
                                       selectinload(ContactLog.contacts), selectinload(ContactLog.trip))
                              .order_by(ContactLog.date, ContactLog.id)).all()


def company_log_page(company_id: int, page_no: int, per_page: int) -> Page:
    """A page of the company's logs as JSON (the API): ids off the (company, date) index, then the page's rows
    with their officers' names, and their contact ids: four statements however many logs the page holds."""
    from crm.extensions import db

    statements = _log_page_statements()
    counted = db.session.scalar(statements["count"], {"company_id": company_id})
    total, capped = min(counted, COUNT_CAP), counted > COUNT_CAP
    ids = list(db.session.scalars(statements["ids"], {"company_id": company_id, "limit": per_page,
                                                      "offset": (page_no - 1) * per_page})) if total else []
    if not ids:
        return Page([], total, capped, page_no, per_page)
    contacts: dict[int, list[int]] = {}
    for log_id, contact_id in db.session.execute(statements["contacts"], {"ids": ids}):
        contacts.setdefault(log_id, []).append(contact_id)
    items = {row.id: log_fields(row, officer=(row.display_name or row.username) if row.username is not None else None,
                                contact_ids=contacts.get(row.id, []))
             for row in db.session.execute(statements["rows"], {"ids": ids})}
    return Page([items[i] for i in ids], total, capped, page_no, per_page)


@cache
def _log_page_statements() -> dict:
    """Built once per process, with bound parameters: building costs SQLAlchemy more than these run."""
    ids = (select(ContactLog.id).where(ContactLog.company_id == bindparam("company_id"))
           .order_by(ContactLog.date.desc(), ContactLog.id.desc()))
    page_ids = bindparam("ids", expanding=True)
    return {
        "count": select(func.count()).select_from(ids.order_by(None).limit(COUNT_CAP + 1).subquery()),
        "ids": ids.limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)),
        "contacts": select(contact_log_contacts.c.log_id, contact_log_contacts.c.contact_id)
        .where(contact_log_contacts.c.log_id.in_(page_ids))
        .order_by(contact_log_contacts.c.log_id, contact_log_contacts.c.contact_id),
        "rows": select(ContactLog.__table__, User.display_name, User.username)
        .outerjoin(User, User.id == ContactLog.officer_id).where(ContactLog.id.in_(page_ids)),
    }
