"""/api/v1/events: fairs and events (list, create, read, edit, delete while empty) and a cohort's signing in
one all-or-nothing call, through the same services as the event pages."""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from crm.api.base import api_blueprint, field_date, field_str, json_body, paginated
from crm.api.conditional import require_version
from crm.api.openapi import documented
from crm.core.db import utcnow
from crm.core.errors import APIError
from crm.core.formatting import local_today
from crm.events import api_schemas as schemas
from crm.events import bulk, queries, services
from crm.events.models import Event, EventType
from crm.extensions import db
from crm.projects.models import Project
from crm.projects.serialise import project_summary

bp = api_blueprint("events_api", __name__)
TEXT_FIELDS = {"name": 200, "edition": 40, "place": 120, "organiser": 200}


def serialise_event(event: Event) -> dict:
    return {"id": event.id, "name": event.name, "type": event.type.code if event.type else None,
            "type_name": event.type.name if event.type else None, "edition": event.edition, "year": event.year,
            "start_date": event.start_date.isoformat() if event.start_date else None,
            "end_date": event.end_date.isoformat() if event.end_date else None,
            "place": event.place, "organiser": event.organiser, "version": event.version}


def _event(event_id: int) -> Event:
    found = db.session.get(Event, event_id)
    if found is None:
        raise APIError(404, "not_found", _("找不到该活动。"))
    return found


def _type_id(data: dict) -> int | None:
    """`type` as a type's code or name (QINGQIA or 青洽会), or `type_id`."""
    if data.get("type_id") not in (None, ""):
        return data["type_id"] if isinstance(data["type_id"], int) else None
    text = str(data.get("type") or "").strip()
    if not text:
        return None
    return db.session.scalar(select(EventType.id).where(or_(EventType.code == text.upper(), EventType.name == text)))


def _values(data: dict, event: Event | None) -> dict:
    """The fields present in the body, typed; on create the required ones are always checked."""
    values = {key: field_str(data, key, n) for key, n in TEXT_FIELDS.items() if key in data}
    for key in ("start_date", "end_date"):
        if key in data:
            values[key] = field_date(data, key)
    if "year" in data:
        year = data["year"]
        values["year"] = year if isinstance(year, int) and not isinstance(year, bool) else None
    if "type" in data or "type_id" in data:
        values["type_id"] = _type_id(data)
    if event is not None:  # an edit: what the body leaves out stays as it is
        values = {**{k: getattr(event, k) for k in services.FIELDS}, **values}
    return values


@bp.get("/events")
@documented(query=schemas.LIST_FILTERS, answer=schemas.EVENT, lists=True)
def events():
    """Fairs and events, newest first."""
    query = queries.events_query()
    if request.args.get("year", "").isdigit():
        query = query.where(Event.year == int(request.args["year"]))
    if request.args.get("type"):
        query = query.join(Event.type).where(EventType.code == request.args["type"].upper())
    return paginated(query, serialise_event)


@bp.post("/events")
@documented(body=schemas.INPUT, answer=schemas.EVENT, status=201)
def create():
    """Create an event (managers and officers)."""
    event = services.save_event(None, actor=current_user, values=_values(json_body(), None))
    db.session.commit()
    return jsonify(serialise_event(event)), 201, {"Location": f"/api/v1/events/{event.id}"}


@bp.get("/events/<int:event_id>")
@documented(answer=schemas.DETAIL)
def event(event_id: int):
    """An event with its projects in the user's scope."""
    found = _event(event_id)
    now = utcnow()
    projects = db.session.scalars(queries.event_projects(current_user, found.id)).all()
    return jsonify({**serialise_event(found), "projects": [project_summary(p, now) for p in projects]})


@bp.patch("/events/<int:event_id>")
@documented(body=schemas.INPUT, answer=schemas.EVENT, errors=(409, 428))
def update(event_id: int):
    """Change an event's fields; needs If-Match or version."""
    found = _event(event_id)
    data = json_body()
    services.save_event(found, actor=current_user, values=_values(data, found),
                        version=require_version(data, found))
    db.session.commit()
    return jsonify(serialise_event(found))


@bp.delete("/events/<int:event_id>")
@documented(status=204, errors=(409, 428))
def delete(event_id: int):
    """Delete an event no project refers to; needs If-Match."""
    found = _event(event_id)
    services.delete_event(found, actor=current_user, version=require_version({}, found))
    db.session.commit()
    return "", 204


@bp.post("/events/<int:event_id>/signings")
@documented(body=schemas.SIGNINGS, answer=schemas.SIGNED, status=201)
def signings(event_id: int):
    """A cohort's signed projects in one call: every row is written, or none (422 with each row's errors)."""
    found = _event(event_id)
    data = json_body()
    rows_in = data.get("projects")
    if not isinstance(rows_in, list) or not rows_in or not all(isinstance(r, dict) for r in rows_in):
        raise APIError(422, "invalid", _("projects 应为签约项目的列表。"), {"projects": _("必填")})
    now = utcnow()
    rows = bulk.plan_records(rows_in, found, local_today(now))
    refused = {f"projects[{i}]": "；".join(row.errors) for i, row in enumerate(rows) if row.errors}
    if refused:
        raise APIError(422, "invalid", _("有 %(n)s 行无法录入，全部未写入。", n=len(refused)), refused)
    projects = bulk.apply(rows, found, actor=current_user, now=now)
    db.session.commit()
    signed = db.session.scalars(queries.event_projects(current_user, found.id)
                                .where(Project.id.in_([p.id for p in projects]))).all()
    return jsonify({"event": serialise_event(found), "items": [project_summary(p, now) for p in signed],
                    "total": len(signed)}), 201
