"""Admin writes: the schedule and thresholds, kept in crm.core.settings and audited."""
from crm.core import audit, settings
from crm.jobs.registry import JOBS
from crm.jobs.tasks.lateness import FUNDS_REPORT_DAY, RED_DAYS, YELLOW_DAYS
from crm.jobs.tasks.reminders import STALE_DAYS

THRESHOLDS = {"stale_days": STALE_DAYS, "yellow_days": YELLOW_DAYS, "red_days": RED_DAYS,
              "funds_report_day": FUNDS_REPORT_DAY}


def current_schedule() -> dict:
    values = {field: settings.get(key) for field, key in THRESHOLDS.items()}
    values.update({name: settings.get(spec.setting_key) or "" for name, spec in JOBS.items()})
    return values


def save_schedule(values: dict, *, actor) -> dict:
    """Store the changed values; the scheduler process picks them up at its next reload."""
    keys = {**THRESHOLDS, **{name: spec.setting_key for name, spec in JOBS.items()}}
    before = current_schedule()
    changes = {}
    for field, key in keys.items():
        value = values[field].strip() if isinstance(values[field], str) else values[field]
        if value != before[field]:
            settings.put(key, value)
            changes[field] = [before[field], value]
    if changes:
        audit.record("settings.update", actor=actor, object_type="settings", summary="任务计划与预警阈值",
                     changes=changes)
    return changes
