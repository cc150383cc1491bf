"""Small factories for tests: rows built directly, flushed, and returned (the caller commits)."""
import itertools
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from crm.companies.models import Company
from crm.events.models import Event, EventType
from crm.extensions import db
from crm.parks.models import Park
from crm.projects.models import Project
from crm.projects.stages import Stage

_numbers = itertools.count(1)


def park(code: str) -> Park:
    return db.session.scalar(select(Park).where(Park.code == code))


def company(name: str | None = None, **fields) -> Company:
    n = next(_numbers)
    row = Company(name=name or f"测试企业{n}有限公司", name_norm=(name or f"测试企业{n}"), **fields)
    db.session.add(row)
    db.session.flush()
    return row


def event_type(code: str = "QHF", name: str = "青洽会") -> EventType:
    row = db.session.scalar(select(EventType).where(EventType.code == code))
    if row is None:
        row = EventType(code=code, name=name)
        db.session.add(row)
        db.session.flush()
    return row


def event(year: int = 2025, name: str | None = None, type_code: str = "QHF") -> Event:
    row = Event(type=event_type(type_code), name=name or f"{year}青洽会", year=year,
                start_date=date(year, 6, 1), end_date=date(year, 6, 5))
    db.session.add(row)
    db.session.flush()
    return row


def project(park_code: str = "NANCHUAN", stage: Stage = Stage.lead, **fields) -> Project:
    """A project already in `stage`, with the facts of the stages it passed (dates in 2025)."""
    defaults = {"negotiating_date": date(2025, 1, 10)} if stage != Stage.lead else {}
    if stage in (Stage.signed, Stage.preparing, Stage.started, Stage.producing):
        defaults.update(signed_date=date(2025, 6, 1), agreed_investment=Decimal("10000"))
    if stage in (Stage.preparing, Stage.started, Stage.producing):
        defaults["preparing_date"] = date(2025, 7, 1)
    if stage in (Stage.started, Stage.producing):
        defaults["started_date"] = date(2025, 9, 1)
    if stage == Stage.producing:
        defaults["producing_date"] = date(2026, 3, 1)
    if stage == Stage.dropped:
        defaults.update(dropped_date=date(2025, 8, 1), dropped_reason="投资方撤回")
    defaults.update(fields)
    owner = defaults.pop("company", None) or company()
    row = Project(name=defaults.pop("name", f"{owner.name}投资项目"), company=owner, park=park(park_code),
                  stage=stage, counted_stage=stage, **defaults)
    db.session.add(row)
    db.session.flush()
    return row
