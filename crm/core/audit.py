"""Append-only audit trail, written in the same transaction as the change it records."""
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import JSON, ForeignKey, Index, String, Text, inspect
from sqlalchemy import event as _event
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm import Session as _Session

from crm.core.db import utcnow
from crm.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    username: Mapped[str] = mapped_column(String(80), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def client_ip() -> str:
    return (request.remote_addr or "") if has_request_context() else ""


def record(action: str, obj=None, *, actor=None, summary: str = "", changes: dict | None = None,
           object_type: str = "", object_id: int | None = None) -> AuditEntry:
    """Add an audit entry to the session; the caller's commit writes it with the change itself."""
    if obj is not None:
        object_type = object_type or getattr(obj, "__tablename__", type(obj).__name__)
        if inspect(obj).pending:
            db.session.flush([obj])  # a new object needs its id before it can be referred to
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    entry = AuditEntry(
        user_id=getattr(actor, "id", None), username=getattr(actor, "username", "") or "",
        ip=client_ip(), action=action, object_type=object_type, object_id=object_id,
        summary=summary[:2000], changes=_jsonable(changes or {}),
    )
    db.session.add(entry)
    return entry


def diff(obj, fields: list[str], before: dict) -> dict:
    """Changed fields as {field: [before, after]}; `before` is a snapshot taken with `snapshot`."""
    return {f: [before.get(f), getattr(obj, f)] for f in fields if before.get(f) != getattr(obj, f)}


def snapshot(obj, fields: list[str]) -> dict:
    return {f: getattr(obj, f) for f in fields}


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# --- Append-only in the application --------------------------------------------------------------
# The ORM refuses to change or delete an entry; the one sanctioned deletion is the retention prune
# (crm.admin.retention), a Core DELETE carrying the `audit_prune` execution option.


class AuditImmutableError(RuntimeError):
    """Something tried to change or delete an audit entry."""


@_event.listens_for(AuditEntry, "before_update")
@_event.listens_for(AuditEntry, "before_delete")
def _refuse_change(_mapper, _connection, target):
    raise AuditImmutableError(f"audit entry {target.id} is append-only")


@_event.listens_for(_Session, "before_flush")
def _refuse_dirty_entries(session, _context, _instances):
    for obj in session.deleted:
        if isinstance(obj, AuditEntry):
            raise AuditImmutableError("audit entries cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) and session.is_modified(obj, include_collections=False):
            raise AuditImmutableError("audit entries cannot be modified")


@_event.listens_for(_Session, "do_orm_execute")
def _refuse_bulk_statements(state):
    if not (state.is_update or state.is_delete) or state.execution_options.get("audit_prune"):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) == AuditEntry.__tablename__:
        raise AuditImmutableError("bulk UPDATE/DELETE of audit entries is refused")
