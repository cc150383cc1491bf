"""Load event types (青洽会, 央企青海行 ...) from seeds/event_types.yaml, idempotently."""
from sqlalchemy import select

from crm.core.seedfiles import ChangeCounter, load_yaml
from crm.events.models import EventType
from crm.extensions import db


def seed_event_types(counter: ChangeCounter) -> None:
    existing = {t.code: t for t in db.session.scalars(select(EventType))}
    for row in load_yaml("event_types.yaml")["event_types"]:
        event_type = existing.get(row["code"])
        if event_type is None:
            event_type = existing[row["code"]] = EventType(code=row["code"])
            db.session.add(event_type)
            counter.created_one("event_types")
        counter.assign(event_type, "event_types", name=row["name"], recurring=row.get("recurring") or "yearly",
                       description=(row.get("description") or "").strip())
