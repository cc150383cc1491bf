"""Reads of contact logs and trips, always through the companies' visibility rule."""
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from crm.companies.models import Company, ContactLog, LogKind, Trip
from crm.companies.queries import search_condition, visible_clause


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
    officer = args.get("officer", "")
    return LogFilters(q=(args.get("q") or "").strip()[:100],
                      kind=args.get("kind") if args.get("kind") in {k.value for k in LogKind} else "",
                      officer=int(officer) if officer.isdigit() else None, date_from=_date(args.get("date_from")),
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
    if f.due:
        query = query.where(ContactLog.next_follow_up <= today)
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
