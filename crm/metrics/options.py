"""Choices for the dashboard's filter form: the parks a user may see, fairs, industries, officers."""
from sqlalchemy import select

from crm.auth.models import User
from crm.core.permissions import Role
from crm.core.scope import visible_park_ids
from crm.events.models import Event
from crm.extensions import db
from crm.metrics import cache
from crm.parks.models import Industry, Park


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
        "events": db.session.execute(select(Event.id, Event.name).order_by(Event.year.desc(), Event.id)).all(),
        "industries": db.session.execute(select(Industry.id, Industry.name).order_by(Industry.id)).all(),
        "officers": [(i, d or u) for i, d, u in db.session.execute(officers)],
    }
