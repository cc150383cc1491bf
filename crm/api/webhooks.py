"""Webhooks: other systems told of changes as they happen, each change once, signed, retried with backoff.

A change is known by its audit entry (every service writes one in the transaction of its change). When a
flush writes an entry of a kind some webhook asked for, a delivery row is written beside it, in the same
transaction: a change rolled back tells no one, a committed one is never lost. The job runner sends due
deliveries (crm.jobs, every minute), signing each body with the webhook's secret (HMAC-SHA256 over
"<timestamp>.<body>"), and retries a failed one after 1, 5, 30 and 120 minutes before marking it failed.
"""
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from crm.api.models import Webhook, WebhookDelivery
from crm.core.audit import AuditEntry
from crm.extensions import db

KINDS = ("project.stage_changed", "funds.entered", "problem.opened", "problem.closed")
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(minutes=120))
MAX_ATTEMPTS = len(BACKOFF) + 1
CLAIM_FOR = timedelta(minutes=5)  # a delivery being sent is not picked again meanwhile
TIMEOUT_SECONDS = 10
BATCH = 100
CLOSED = ("solved", "cannot_solve")
_TABLES = {"funds_entries": "funds_entries", "problems": "problems"}


def kinds_of(entry: AuditEntry) -> list[str]:
    """The webhook kinds an audit entry announces."""
    changes = entry.changes or {}
    if entry.action in ("project.stage", "project.stage_undo"):
        return ["project.stage_changed"]
    if entry.action == "project.create" and (changes.get("stage") or [None, "lead"])[1] not in (None, "lead"):
        return ["project.stage_changed"]  # signed at once (a fair's cohort entered in one call)
    if entry.action in ("funds.create", "funds.correct"):
        return ["funds.entered"]
    if entry.action == "problem.create":
        return ["problem.opened"]
    if entry.action == "problem.update" and "status" in changes:
        before, after = changes["status"]
        if after in CLOSED and before not in CLOSED:
            return ["problem.closed"]
        if before in CLOSED and after not in CLOSED:
            return ["problem.opened"]
    return []


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _payload(connection, entry: AuditEntry, kind: str) -> str:
    project_id = entry.object_id if entry.object_type == "projects" else None
    if entry.object_type in _TABLES and entry.object_id is not None:
        table = db.metadata.tables[_TABLES[entry.object_type]]
        project_id = connection.execute(select(table.c.project_id).where(table.c.id == entry.object_id)).scalar()
    return json.dumps({"kind": kind, "change": entry.id, "occurred_at": entry.at.isoformat(),
                       "object": {"type": entry.object_type, "id": entry.object_id}, "project_id": project_id,
                       "actor": entry.username, "summary": entry.summary, "changes": entry.changes or {}},
                      ensure_ascii=False, sort_keys=True, default=str)


def _after_flush(session: Session, _context) -> None:
    entries = [(obj, kinds) for obj in session.new if isinstance(obj, AuditEntry) and (kinds := kinds_of(obj))]
    if not entries:
        return
    connection = session.connection()
    hooks = connection.execute(select(Webhook.id, Webhook.kinds).where(Webhook.active.is_(True))).all()
    rows = []
    for entry, kinds in entries:
        for kind in kinds:
            payload = _payload(connection, entry, kind)
            rows += [{"webhook_id": hook_id, "audit_id": entry.id, "kind": kind, "payload": payload,
                      "status": "pending", "attempts": 0, "next_attempt_at": entry.at, "last_error": "",
                      "created_at": entry.at}
                     for hook_id, hook_kinds in hooks if kind in hook_kinds.split(",")]
    if rows:
        connection.execute(insert(WebhookDelivery), rows)


def install_outbox() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def _send(hook: Webhook, delivery: WebhookDelivery, now: datetime) -> tuple[int | None, str]:
    body = delivery.payload.encode()
    timestamp = str(int(now.timestamp()))
    # S310: the URL is an admin's, checked to be http(s) when registered (crm.api.webhooks_api)
    request = urllib.request.Request(hook.url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json", "User-Agent": "crm-webhooks/1", "X-CRM-Event": delivery.kind,
        "X-CRM-Delivery": str(delivery.id), "X-CRM-Timestamp": timestamp,
        "X-CRM-Signature": signature(hook.secret, timestamp, body)})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(getattr(error, "reason", error))[:500]


def _claim(delivery_id: int, now: datetime) -> bool:
    """Push the delivery's next attempt ahead, committed, before sending: a second runner never sends it too."""
    result = db.session.execute(update(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending",
        WebhookDelivery.next_attempt_at <= now).values(next_attempt_at=now + CLAIM_FOR)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def deliver_due(*, now: datetime) -> int:
    """Send the deliveries that are due; the number delivered."""
    due = db.session.scalars(select(WebhookDelivery.id).where(
        WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.id).limit(BATCH)).all()
    delivered = 0
    for delivery_id in due:
        if not _claim(delivery_id, now):
            continue
        delivery = db.session.get(WebhookDelivery, delivery_id)
        hook = db.session.get(Webhook, delivery.webhook_id)
        status, error = _send(hook, delivery, now)
        delivery.attempts += 1
        delivery.last_status, delivery.last_error = status, error
        if status is not None and 200 <= status < 300:
            delivery.status, delivery.delivered_at, delivered = "delivered", now, delivered + 1
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = "failed"
        else:
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        db.session.commit()
    return delivered
