"""Audit-log searches for the admin pages and the export."""
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, or_, select

from crm.core.audit import AuditEntry
from crm.core.formatting import LOCAL_ZONE


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_ZONE)


def audit_entries(*, user: str = "", action: str = "", object_type: str = "", object_id: int | None = None,
                  start: date | None = None, end: date | None = None, text: str = "") -> Select:
    """Newest first; `start`/`end` are local (Asia/Shanghai) days, both included."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if user:
        query = query.where(AuditEntry.username == user)
    if action:
        query = query.where(or_(AuditEntry.action == action, AuditEntry.action.startswith(action + ".")))
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == object_id)
    if start:
        query = query.where(AuditEntry.at >= _local_midnight(start))
    if end:
        query = query.where(AuditEntry.at < _local_midnight(end + timedelta(days=1)))
    if text:
        query = query.where(AuditEntry.summary.contains(text, autoescape=True))
    return query

