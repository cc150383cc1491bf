"""/api/v1 endpoints of the events domain: events, and one event with its projects (scoped)."""
from flask import jsonify
from flask_login import current_user

from crm.api.base import api_blueprint, paginated
from crm.core.db import utcnow
from crm.events import queries
from crm.events.models import Event
from crm.extensions import db
from crm.projects.serialise import project_summary

bp = api_blueprint("events_api", __name__)


def serialise_event(event: Event) -> dict:
    return {"id": event.id, "name": event.name, "type": event.type.code if event.type else None,
            "type_name": event.type.name if event.type else None, "edition": event.edition, "year": event.year,
            "start_date": event.start_date.isoformat() if event.start_date else None,
            "end_date": event.end_date.isoformat() if event.end_date else None,
            "place": event.place, "organiser": event.organiser}


@bp.get("/events")
def events():
    return paginated(queries.events_query(), serialise_event)


@bp.get("/events/<int:event_id>")
def event(event_id: int):
    found = db.get_or_404(Event, event_id)
    now = utcnow()
    projects = db.session.scalars(queries.event_projects(current_user, found.id)).all()
    return jsonify({**serialise_event(found), "projects": [project_summary(p, now) for p in projects]})
