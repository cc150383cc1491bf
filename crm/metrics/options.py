"""Choices for the dashboard's filter form: the parks a user may see, fairs, industries, officers."""
from sqlalchemy import func, select

from crm.auth.models import User
from crm.core.permissions import Role
from crm.core.scope import visible_park_ids
from crm.events.models import Event
from crm.extensions import db
from crm.metrics import cache
from crm.parks.models import Park
from crm.parks.queries import industry_options
from crm.projects.models import Project


def filter_options(user) -> dict:
    """The choices, kept per park scope while the data is unchanged (crm.metrics.cache)."""
    ids = visible_park_ids(user)
    return cache.data.get(("options", None if ids is None else frozenset(ids)), lambda: _options(ids))


def _options(ids: set[int] | None) -> dict:
    parks = select(Park.code, Park.name).order_by(Park.parent_id.is_not(None), Park.id)
    if ids is not None:
        parks = parks.where(Park.id.in_(ids or {-1}))
    officers = (select(User.id, User.display_name, User.username)
                .where(User.role.in_((Role.officer, Role.manager)), User.active.is_(True)).order_by(User.username))
    return {
        "parks": db.session.execute(parks).all(),
        "events": _events(ids),
        "industries": industry_options(),
        "officers": [(i, d or u) for i, d, u in db.session.execute(officers)],
    }


def _events(ids: set[int] | None) -> list[tuple]:
    """(id, name, first signing, last signing) per fair: choosing a fair sets the period to its cohort's signings."""
    spans = select(Project.event_id, func.min(Project.signed_date).label("first"),
                   func.max(Project.signed_date).label("last")).where(Project.event_id.is_not(None))
    if ids is not None:
        spans = spans.where(Project.park_id.in_(ids or {-1}))
    spans = spans.group_by(Project.event_id).subquery()
    query = (select(Event.id, Event.name, spans.c.first, spans.c.last)
             .outerjoin(spans, spans.c.event_id == Event.id).order_by(Event.year.desc(), Event.id))
    return db.session.execute(query).all()
