"""Writes of the metrics domain: yearly targets (admin) and the monthly snapshots kept for trends."""
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from crm.core import audit
from crm.core.errors import ServiceError
from crm.events.models import Event
from crm.extensions import db
from crm.metrics import funds_summary
from crm.metrics.cohort import Cohort
from crm.metrics.figures import as_json, compute
from crm.metrics.models import PROVINCE, MetricSnapshot, Target, TargetMetric
from crm.parks.models import Park


def save_target(unit: str, year: int, metric: str, value: Decimal, *, actor, note: str = "") -> Target:
    """Set (create or change) one target of a unit for a year."""
    if metric not in TargetMetric.__members__:
        raise ServiceError(_("未知的目标指标。"), {"metric": _("无效")}, status=422)
    if unit != PROVINCE and db.session.scalar(select(Park.id).where(Park.code == unit)) is None:
        raise ServiceError(_("单位应为“province”或园区代码。"), {"unit": _("无效")}, status=422)
    if value is None or value < 0:
        raise ServiceError(_("目标值不能为负数。"), {"value": _("无效")}, status=422)
    row = db.session.scalar(select(Target).where(Target.unit == unit, Target.year == year, Target.metric == metric))
    action, before = ("update", row.value) if row else ("create", None)
    if row is None:
        row = Target(unit=unit, year=year, metric=metric, value=value, note=note)
        db.session.add(row)
    else:
        row.value, row.note = value, note
    audit.record(f"target.{action}", row, actor=actor, summary=f"{unit} {year} {metric} = {value}",
                 changes={"value": [before, value]})
    return row


def delete_target(target: Target, *, actor) -> None:
    audit.record("target.delete", target, actor=actor,
                 summary=f"{target.unit} {target.year} {target.metric} = {target.value}")
    db.session.delete(target)


def take_snapshot(month: date, *, now: datetime) -> int:
    """Store the figures of the province, each park and each fair edition for `month`; returns how many.

    Running it twice for one month replaces that month's figures instead of adding rows.
    """
    month = month.replace(day=1)
    funds_summary.refresh(db.session)  # the monthly job also rebuilds the funds totals from scratch
    scopes = [("province", 0, Cohort())]
    scopes += [("park", pid, Cohort(park=code)) for pid, code in db.session.execute(select(Park.id, Park.code))]
    scopes += [("event", eid, Cohort(event_id=eid)) for eid in db.session.scalars(select(Event.id))]
    for kind, scope_id, cohort in scopes:
        figures = as_json(compute(cohort, funds_until=month))
        row = db.session.scalar(select(MetricSnapshot).where(
            MetricSnapshot.month == month, MetricSnapshot.scope_kind == kind, MetricSnapshot.scope_id == scope_id))
        if row is None:
            db.session.add(MetricSnapshot(month=month, scope_kind=kind, scope_id=scope_id, figures=figures,
                                          taken_at=now))
        else:
            row.figures, row.taken_at = figures, now
    db.session.flush()
    return len(scopes)
