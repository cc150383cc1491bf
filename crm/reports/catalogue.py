"""The report index's groups: fair reports by kind of fair, the ledger and summary by month and by park."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from crm.events.models import Event, EventType
from crm.extensions import db

MONTHS_SHOWN = 12


@dataclass
class FairGroup:
    name: str  # the kind of fair: 青洽会, 央企青海行 ...
    editions: list = field(default_factory=list)  # (event id, name, year), newest first


def fairs_by_kind() -> list[FairGroup]:
    """Every fair edition under its kind, kinds in order of their newest edition."""
    rows = db.session.execute(select(EventType.name, Event.id, Event.name, Event.year)
                              .join(Event.type).order_by(Event.year.desc(), Event.id.desc()))
    groups: dict[str, FairGroup] = {}
    for kind, event_id, name, year in rows:
        groups.setdefault(kind, FairGroup(kind)).editions.append((event_id, name, year))
    return list(groups.values())


def recent_months(today: date, count: int = MONTHS_SHOWN) -> list[str]:
    """The last `count` months as yyyy-mm, this month first."""
    month, months = today.replace(day=1), []
    for _ in range(count):
        months.append(f"{month:%Y-%m}")
        month = (month.replace(day=1) - date.resolution).replace(day=1)
    return months
