"""Audit retention: entries are kept at least 180 days (网络安全法 art. 21); pruning older ones is explicit."""
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from crm.core import audit, settings
from crm.core.audit import AuditEntry
from crm.core.errors import ServiceError
from crm.core.formatting import LOCAL_ZONE, local_today
from crm.extensions import db

MINIMUM_DAYS = 180
RETENTION_DAYS = settings.declare("audit.retention_days", MINIMUM_DAYS)


def retention_days() -> int:
    """The configured retention, never below the legal minimum whatever the settings table holds."""
    try:
        configured = int(settings.get(RETENTION_DAYS) or MINIMUM_DAYS)
    except (TypeError, ValueError):
        configured = MINIMUM_DAYS
    return max(MINIMUM_DAYS, configured)


def latest_prunable(now: datetime) -> date:
    """The newest date `prune --before` accepts: entries from this day on are still retained."""
    return local_today(now) - timedelta(days=retention_days())


def prune(before: date, *, now: datetime, actor=None) -> int:
    """Delete entries older than `before` (local midnight); refuses anything inside the retention."""
    limit = latest_prunable(now)
    if before > limit:
        raise ServiceError(_("只能删除 %(d)s 之前的审计记录（保留期 %(n)s 天）。", d=limit.isoformat(),
                             n=retention_days()))
    cutoff = datetime.combine(before, time.min, tzinfo=LOCAL_ZONE)
    count = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.at < cutoff))
    db.session.execute(delete(AuditEntry.__table__).where(AuditEntry.__table__.c.at < cutoff)
                       .execution_options(audit_prune=True))
    audit.record("audit.prune", actor=actor, object_type="audit_log",
                 summary=f"before {before.isoformat()}: {count}", changes={"deleted": count})
    return count
