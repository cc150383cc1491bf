"""Admin verbs: change security settings, export the audit log (both audited)."""
import csv
import io
import json

from crm.admin.retention import RETENTION_DAYS
from crm.auth.passwords import MIN_CLASSES, MIN_LENGTH
from crm.core import audit, settings
from crm.core.formatting import local_datetime
from crm.core.security import PASSWORD_MAX_AGE

SECURITY_KEYS = {"min_length": MIN_LENGTH, "min_classes": MIN_CLASSES, "max_age_days": PASSWORD_MAX_AGE,
                 "retention_days": RETENTION_DAYS}
EXPORT_LIMIT = 100_000
CSV_HEADER = ["时间", "用户", "IP", "操作", "对象类型", "对象编号", "摘要", "变更"]


def security_settings() -> dict[str, int]:
    return {name: settings.get(key) for name, key in SECURITY_KEYS.items()}


def save_security_settings(values: dict[str, int], *, actor) -> dict:
    """Store the given settings; the audit entry lists what changed, before and after."""
    before = security_settings()
    for name, key in SECURITY_KEYS.items():
        if name in values and values[name] != before[name]:
            settings.put(key, int(values[name]))
    changes = {name: [before[name], values[name]] for name in SECURITY_KEYS
               if name in values and values[name] != before[name]}
    audit.record("settings.update", actor=actor, object_type="settings", summary="security",
                 changes=changes)
    return changes


def _cell(value) -> str:
    """Text that Excel would run as a formula (=, +, -, @) is kept as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(entries, *, actor, filters: dict) -> str:
    """CSV (UTF-8 with BOM so Excel reads Chinese) of the given entries; the export itself is audited."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    count = 0
    for entry in entries:
        writer.writerow([_cell(v) for v in (
            local_datetime(entry.at, "%Y-%m-%d %H:%M:%S"), entry.username, entry.ip, entry.action,
            entry.object_type, entry.object_id, entry.summary,
            json.dumps(entry.changes, ensure_ascii=False, default=str))])
        count += 1
    audit.record("audit.export", actor=actor, object_type="audit_log", summary=f"{count} rows",
                 changes={"filters": filters})
    return buffer.getvalue()
