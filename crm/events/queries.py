"""Reads of events: the list with signing counts, one event, and its projects within the user's scope."""
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from crm.events.models import Event, EventType
from crm.extensions import db
from crm.projects.models import Project
from crm.projects.queries import visible_projects, with_relations
from crm.projects.stages import SIGNED_OR_LATER


def events_query() -> Select:
    return select(Event).options(joinedload(Event.type)).order_by(Event.year.desc(), Event.start_date.desc(),
                                                                 Event.id.desc())


def event_types() -> list[EventType]:
    return db.session.scalars(select(EventType).order_by(EventType.id)).all()


def event_projects(user, event_id: int) -> Select:
    return with_relations(visible_projects(user).where(Project.event_id == event_id)).order_by(Project.id)


def signing_counts(user, event_ids: list[int]) -> dict[int, tuple[int, Decimal]]:
    """Per event: projects signed (or further) and their agreed investment, within the user's scope."""
    if not event_ids:
        return {}
    scoped = visible_projects(user).with_only_columns(Project.id)
    rows = db.session.execute(
        select(Project.event_id, func.count(), func.sum(Project.agreed_investment))
        .where(Project.event_id.in_(event_ids), Project.stage.in_(SIGNED_OR_LATER), Project.id.in_(scoped))
        .group_by(Project.event_id))
    return {event_id: (count, Decimal(total or 0)) for event_id, count, total in rows}
