"""/api/v1/notifications: the token user's notifications (filter read/unread), and marking them read."""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from crm.api.base import api_blueprint, paginated
from crm.api.openapi import DATETIME, INTEGER, TEXT, documented, nullable, obj, schema
from crm.core.db import utcnow
from crm.core.errors import APIError
from crm.extensions import db
from crm.jobs import notify, queries
from crm.jobs.kinds import label
from crm.jobs.models import Notification

bp = api_blueprint("jobs_api", __name__)
NOTIFICATION = schema("Notification", obj({
    "id": INTEGER, "kind": TEXT, "kind_label": TEXT, "title": TEXT, "body": TEXT, "link": TEXT, "created_at": DATETIME,
    "read": {"type": "boolean"}, "read_at": nullable("string", format="date-time")}, ("id", "kind", "title", "read")))


def serialise(note: Notification) -> dict:
    return {"id": note.id, "kind": note.kind, "kind_label": label(note.kind), "title": note.title,
            "body": note.body, "link": note.link, "created_at": note.created_at.isoformat(),
            "read": note.read_at is not None, "read_at": note.read_at.isoformat() if note.read_at else None}


def _status() -> str:
    """?status=read|unread, or ?read=true|false (?unread=1 also), anything else: all."""
    status = request.args.get("status", "")
    read = request.args.get("read", "").lower()
    if read in ("1", "true", "yes"):
        status = "read"
    elif read in ("0", "false", "no") or request.args.get("unread", "").lower() in ("1", "true", "yes"):
        status = "unread"
    return status


@bp.get("/notifications")
@documented(query={"status": ({"type": "string", "enum": ["read", "unread"]}, "read or unread only"),
                   "read": (TEXT, "true / false, as status"), "unread": (TEXT, "1: unread only")},
            answer=NOTIFICATION, lists=True)
def notifications():
    """The token user's notifications, newest first."""
    return paginated(queries.notifications_for(current_user, _status()), serialise)


@bp.post("/notifications/<int:notification_id>/read")
@documented(answer=NOTIFICATION)
def read(notification_id: int):
    """Mark one notification read."""
    if not notify.mark_read(current_user, notification_id, now=utcnow()):
        raise APIError(404, "not_found", _("找不到该通知。"))
    db.session.commit()
    return jsonify(serialise(db.session.get(Notification, notification_id)))


@bp.post("/notifications/read-all")
@documented(answer=obj({"marked": INTEGER, "unread": INTEGER}, ("marked", "unread")))
def read_all():
    """Mark every notification read."""
    count = notify.mark_all_read(current_user, now=utcnow())
    db.session.commit()
    return jsonify({"marked": count, "unread": queries.unread_count(current_user)})
