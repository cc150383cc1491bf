"""Month-start jobs: freeze last month's figures (metrics domain) and write last month's ledger (reports)."""
import importlib
import inspect
import io
from datetime import date, datetime
from pathlib import Path

from flask import current_app

from crm.jobs.tasks import Skipped
from crm.jobs.tasks.lateness import previous_month

# Where the other domains may provide these, tried in order; absent ones make the job "skipped".
SNAPSHOT_FUNCTIONS = [("crm.metrics.services", "take_snapshot"), ("crm.metrics.snapshots", "take_snapshot")]
LEDGER_FUNCTIONS = [("crm.reports.services", "ledger_xlsx"), ("crm.reports.ledger", "ledger_xlsx"),
                    ("crm.reports.services", "build_ledger"), ("crm.reports.ledger", "build_ledger"),
                    ("crm.reports.services", "ledger_workbook"), ("crm.reports.ledger", "ledger_workbook")]


def _find(candidates):
    for module_name, attr in candidates:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if callable(getattr(module, attr, None)):
            return getattr(module, attr)
    return None


def _call(function, month: date, now: datetime):
    """Pass `now` (and no actor) only to functions that take them: their signatures are the other domains'."""
    params = inspect.signature(function).parameters
    kwargs = {name: value for name, value in (("now", now), ("actor", None)) if name in params}
    return function(month, **kwargs)


def monthly_snapshot(*, today: date, now: datetime) -> int:
    take = _find(SNAPSHOT_FUNCTIONS)
    if take is None:
        raise Skipped("metrics not available")
    result = _call(take, previous_month(today), now)
    if isinstance(result, int):
        return result
    return len(result) if hasattr(result, "__len__") else 1


def ledger_path(month: date) -> Path:
    return Path(current_app.instance_path) / "ledgers" / f"ledger-{month:%Y-%m}.xlsx"


def monthly_ledger(*, today: date, now: datetime) -> int:
    build = _find(LEDGER_FUNCTIONS)
    if build is None:
        raise Skipped("ledger not available")
    month = previous_month(today)
    data = _as_bytes(_call(build, month, now))
    path = ledger_path(month)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(path)  # readers never see a half-written file
    return 1


def _as_bytes(result) -> bytes:
    """The reports function may answer bytes, a file-like object, an openpyxl workbook or a path."""
    if isinstance(result, bytes | bytearray):
        return bytes(result)
    if isinstance(result, str | Path):
        return Path(result).read_bytes()
    if hasattr(result, "getvalue"):
        return result.getvalue()
    if hasattr(result, "save"):
        buffer = io.BytesIO()
        result.save(buffer)
        return buffer.getvalue()
    raise TypeError(f"the ledger function answered {type(result).__name__}, not a workbook")
