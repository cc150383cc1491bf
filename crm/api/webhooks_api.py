"""/api/v1/webhooks (admins: register, read, change, switch off, the delivery log) and /api/v1/changes, the
change feed for systems that poll instead: every change after a cursor, oldest first, in the user's scope."""
from urllib.parse import urlsplit

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from crm.api.base import api_blueprint, field_str, json_body, paginated
from crm.api.conditional import require_version
from crm.api.models import Webhook, WebhookDelivery
from crm.api.openapi import DATETIME, INTEGER, TEXT, documented, nullable, obj, schema
from crm.api.webhooks import KINDS, new_secret
from crm.core import audit
from crm.core.audit import AuditEntry
from crm.core.errors import APIError
from crm.core.permissions import Role
from crm.core.scope import visible_park_ids
from crm.extensions import db
from crm.projects.models import FundsEntry, Problem, Project

bp = api_blueprint("webhooks_api", __name__)
WEBHOOK = schema("Webhook", obj({
    "id": INTEGER, "name": TEXT, "url": TEXT, "kinds": {"type": "array", "items": {"type": "string", "enum": KINDS}},
    "active": {"type": "boolean"}, "version": INTEGER, "created_at": DATETIME,
    "secret": {"type": "string", "description": "the HMAC-SHA256 key, in the answer of its creation only"}},
    ("id", "url", "kinds", "active", "version")))
WEBHOOK_INPUT = schema("WebhookInput", obj({
    "name": TEXT, "url": {"type": "string", "format": "uri"}, "active": {"type": "boolean"},
    "kinds": {"type": "array", "items": {"type": "string", "enum": KINDS}, "minItems": 1},
    "version": INTEGER}, description="url and kinds are required on create"))
DELIVERY = schema("WebhookDelivery", obj({
    "id": INTEGER, "kind": TEXT, "status": {"type": "string", "enum": ["pending", "delivered", "failed"]},
    "attempts": INTEGER, "next_attempt_at": DATETIME, "last_status": nullable("integer"), "last_error": TEXT,
    "delivered_at": nullable("string", format="date-time"), "created_at": DATETIME, "change": INTEGER},
    ("id", "kind", "status", "attempts")))
CHANGE = schema("Change", obj({
    "cursor": INTEGER, "at": DATETIME, "action": TEXT, "object": obj({"type": TEXT, "id": nullable("integer")}),
    "actor": TEXT, "summary": TEXT, "changes": {"type": "object"}}, ("cursor", "at", "action", "object")))
CHANGES = schema("ChangeFeed", obj({"items": {"type": "array", "items": CHANGE}, "next": INTEGER,
                                    "has_more": {"type": "boolean"}}, ("items", "next", "has_more")))
FEED_TYPES = ("projects", "companies", "events", "problems", "funds_entries", "supervisions", "contacts",
              "contact_logs", "trips", "stage_changes")  # what the feed tells: business records, never accounts


def _time(value):
    return value.isoformat() if value else None


def webhook_json(hook: Webhook) -> dict:
    return {"id": hook.id, "name": hook.name, "url": hook.url, "kinds": hook.kinds.split(","), "active": hook.active,
            "version": hook.version, "created_at": _time(hook.created_at)}


def delivery_json(d: WebhookDelivery) -> dict:
    return {"id": d.id, "kind": d.kind, "status": d.status, "attempts": d.attempts,
            "next_attempt_at": _time(d.next_attempt_at), "last_status": d.last_status, "last_error": d.last_error,
            "delivered_at": _time(d.delivered_at), "created_at": _time(d.created_at), "change": d.audit_id}


def _admin() -> None:
    if current_user.role != Role.admin:
        raise APIError(403, "forbidden", _("只有管理员可以管理 Webhook。"))


def _hook(webhook_id: int) -> Webhook:
    _admin()
    hook = db.session.get(Webhook, webhook_id)
    if hook is None:
        raise APIError(404, "not_found", _("找不到该 Webhook。"))
    return hook


def _values(data: dict, creating: bool) -> dict:
    values, errors = {}, {}
    if "url" in data or creating:
        url = field_str(data, "url", 500, required=True)
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            errors["url"] = _("应为 http:// 或 https:// 地址")
        values["url"] = url
    if "kinds" in data or creating:
        kinds = data.get("kinds")
        if not isinstance(kinds, list) or not kinds or any(k not in KINDS for k in kinds):
            errors["kinds"] = _("应为以下之一或多个：%(k)s", k="、".join(KINDS))
        else:
            values["kinds"] = ",".join(sorted(set(kinds)))
    if "name" in data:
        values["name"] = field_str(data, "name", 80)
    if "active" in data:
        values["active"] = data["active"] is True
    if errors:
        raise APIError(422, "invalid", _("请更正标出的字段。"), errors)
    return values


@bp.get("/webhooks")
@documented(answer=WEBHOOK, lists=True)
def webhooks():
    """Registered webhooks (admins)."""
    _admin()
    return paginated(select(Webhook).order_by(Webhook.id), webhook_json)


@bp.post("/webhooks")
@documented(body=WEBHOOK_INPUT, answer=WEBHOOK, status=201)
def create_webhook():
    """Register an address to be told of changes of the chosen kinds; its secret is in this answer only."""
    _admin()
    hook = Webhook(**_values(json_body(), True), secret=new_secret(), created_by_id=current_user.id)
    db.session.add(hook)
    audit.record("webhook.create", hook, actor=current_user, summary=hook.url, changes={"kinds": hook.kinds})
    db.session.commit()
    return jsonify({**webhook_json(hook), "secret": hook.secret}), 201


@bp.get("/webhooks/<int:webhook_id>")
@documented(answer=WEBHOOK)
def webhook(webhook_id: int):
    """A webhook (admins)."""
    return jsonify(webhook_json(_hook(webhook_id)))


@bp.patch("/webhooks/<int:webhook_id>")
@documented(body=WEBHOOK_INPUT, answer=WEBHOOK, errors=(409, 428))
def update_webhook(webhook_id: int):
    """Change a webhook's address, kinds, name or switch it on or off; needs If-Match or version."""
    hook = _hook(webhook_id)
    data = json_body()
    if str(require_version(data, hook)) != str(hook.version):
        raise APIError(409, "stale", _("记录已被他人修改，请刷新后重试。"), {"version": _("已被他人修改")})
    values = _values(data, False)
    before = audit.snapshot(hook, list(values))
    for key, value in values.items():
        setattr(hook, key, value)
    audit.record("webhook.update", hook, actor=current_user, summary=hook.url,
                 changes=audit.diff(hook, list(values), before))
    db.session.commit()
    return jsonify(webhook_json(hook))


@bp.delete("/webhooks/<int:webhook_id>")
@documented(status=204, errors=(428,))
def delete_webhook(webhook_id: int):
    """Switch a webhook off for good: nothing more is sent; it and its delivery log stay readable."""
    hook = _hook(webhook_id)
    require_version({}, hook)
    hook.active = False
    audit.record("webhook.delete", hook, actor=current_user, summary=hook.url)
    db.session.commit()
    return "", 204


@bp.get("/webhooks/<int:webhook_id>/deliveries")
@documented(query={"status": ({"type": "string", "enum": ["pending", "delivered", "failed"]}, "status")},
            answer=DELIVERY, lists=True)
def deliveries(webhook_id: int):
    """A webhook's delivery log, newest first: each change sent, its attempts, the receiver's last answer."""
    hook = _hook(webhook_id)
    query = select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id).order_by(WebhookDelivery.id.desc())
    if request.args.get("status"):
        query = query.where(WebhookDelivery.status == request.args["status"])
    return paginated(query, delivery_json)


def _scoped(query, user):
    """Park staff hear of their parks' projects, their funds and problems alone."""
    parks = visible_park_ids(user)
    if parks is None:
        return query
    projects = select(Project.id).where(Project.park_id.in_(parks))
    return query.where(or_(
        (AuditEntry.object_type == "projects") & AuditEntry.object_id.in_(projects),
        (AuditEntry.object_type == "funds_entries")
        & AuditEntry.object_id.in_(select(FundsEntry.id).where(FundsEntry.project_id.in_(projects))),
        (AuditEntry.object_type == "problems")
        & AuditEntry.object_id.in_(select(Problem.id).where(Problem.project_id.in_(projects)))))


@bp.get("/changes")
@documented(query={"since": (INTEGER, "the cursor of the last change read (next of the previous answer); 0 first"),
                   "limit": ({"type": "integer", "minimum": 1, "maximum": 500}, "changes per answer")},
            answer=CHANGES)
def changes():
    """Changes to business records after a cursor, oldest first: poll with since=<next> for what came since."""
    try:
        since = max(0, int(request.args.get("since", 0)))
        limit = min(500, max(1, int(request.args.get("limit", 100))))
    except ValueError as exc:
        raise APIError(422, "invalid", _("since 与 limit 应为整数。"), {"since": _("应为整数")}) from exc
    query = (select(AuditEntry).where(AuditEntry.id > since, AuditEntry.object_type.in_(FEED_TYPES))
             .order_by(AuditEntry.id).limit(limit + 1))
    found = db.session.scalars(_scoped(query, current_user)).all()
    items = [{"cursor": e.id, "at": e.at.isoformat(), "action": e.action,
              "object": {"type": e.object_type, "id": e.object_id}, "actor": e.username, "summary": e.summary,
              "changes": e.changes or {}} for e in found[:limit]]
    return jsonify({"items": items, "next": items[-1]["cursor"] if items else since, "has_more": len(found) > limit})
