"""An import's uploads and its commit, run as a background job of the web process.

The upload is kept under UPLOAD_FOLDER/imports with a random name, so the preview and the commit read the very
same bytes; its owner, kind, state and progress sit beside it in a small JSON file, written whole (a reader
never sees half of it). Committing plans the rows again and writes them BATCH at a time in a thread, committing
each batch and noting the progress, so the request returns at once and the report page follows the run.

A batch written stays written. While the run lives, a thread of its process renews a heartbeat file every
BEAT_EVERY seconds, however long a batch takes; if the process stops midway (killed, restarted), the beat stops:
STALE seconds later the report says so and the user may commit again, which finds the rows already written as
duplicates and writes the rest.
"""
import json
import logging
import os
import threading
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from crm.auth.models import User
from crm.companies import importing
from crm.companies.tables import TableError, read_table
from crm.contacts import importing as log_importing
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.extensions import db

log = logging.getLogger(__name__)
PLANS = {"companies": (importing.plan_companies, importing.commit_companies),
         "logs": (log_importing.plan_logs, log_importing.commit_logs)}
PLANNED, RUNNING, DONE, FAILED = "planned", "running", "done", "failed"
BEAT_EVERY = 1.0
STALE = timedelta(seconds=5)


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_path(token: str) -> Path:
    return folder() / f"{token}.bin"


def read_meta(token: str) -> dict | None:
    path = folder() / f"{token}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def save_meta(token: str, meta: dict) -> None:
    path = folder() / f"{token}.json"
    scratch = path.with_suffix(f".{threading.get_ident()}.tmp")
    scratch.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(scratch, path)


def plan(kind: str, data: bytes):
    """Every row's fate, as the preview shows it; a file that is no table is a 400."""
    try:
        return PLANS[kind][0](read_table(data))
    except TableError as error:
        raise ServiceError(str(error), {"file": str(error)}, status=400) from error


def rows_json(results) -> list[dict]:
    return [{"line": r.line, "name": r.name, "fate": r.fate, "reason": r.reason, "existing_id": r.existing_id,
             "existing_name": r.existing_name, "changes": r.changes, "warnings": r.warnings, "raw": r.raw}
            for r in results]


def state(meta: dict) -> str:
    """PLANNED, RUNNING, DONE or FAILED; a run whose heartbeat stopped has FAILED."""
    current = meta.get("state") or (DONE if meta.get("committed") else PLANNED)  # "committed": older uploads
    if current == RUNNING and utcnow() - _last_beat(meta) > STALE:
        return FAILED
    return current


def beat_path(token: str) -> Path:
    return folder() / f"{token}.beat"


def _last_beat(meta: dict) -> datetime:
    """The newest of the progress noted in the meta and the beat file's time."""
    beats = [datetime.fromisoformat(meta["heartbeat"])] if meta.get("heartbeat") else []
    if meta.get("token"):
        with suppress(FileNotFoundError):  # no beat yet, or the run ended
            beats.append(datetime.fromtimestamp(beat_path(meta["token"]).stat().st_mtime, UTC))
    return max(beats, default=datetime.min.replace(tzinfo=UTC))


@contextmanager
def heartbeat(token: str):
    """Renew the run's beat file every BEAT_EVERY seconds from a thread of this process, until the block ends."""
    path, stop = beat_path(token), threading.Event()

    def beat() -> None:
        while not stop.wait(BEAT_EVERY):
            path.touch()

    path.touch()
    thread = threading.Thread(target=beat, name=f"import-beat-{token[:8]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        path.unlink(missing_ok=True)


def start(token: str, meta: dict, *, user_id: int, locale: str) -> bool:
    """Claim the upload and start committing it in a thread; False when it is running or done already."""
    if state(meta) in (RUNNING, DONE) or not _claim(token):
        return False
    meta.update(state=RUNNING, done=0, total=0, error="", heartbeat=utcnow().isoformat(), token=token)
    save_meta(token, meta)
    app = current_app._get_current_object()
    threading.Thread(target=_run, args=(app, token, user_id, locale), name=f"import-{token[:8]}",
                     daemon=True).start()
    return True


def _claim(token: str) -> bool:
    """One run per upload, across the workers: the run holds a lock file; a dead run's lock is taken over."""
    lock = folder() / f"{token}.lock"
    try:
        lock.open("x").close()
        return True
    except FileExistsError:
        meta = read_meta(token) or {}
        if state(meta) != FAILED:
            return False
        lock.unlink(missing_ok=True)
        return _claim(token)


def _run(app, token: str, user_id: int, locale: str) -> None:
    with app.app_context(), force_locale(locale):
        meta = read_meta(token)
        try:
            with heartbeat(token):
                run(token, meta, db.session.get(User, user_id))
        except Exception as error:  # whatever it was, the report shows it and the log keeps the trace
            db.session.rollback()
            log.exception("import %s failed", token)
            meta.update(state=FAILED, error=_("导入中断：%(e)s。已写入的批次保留，可再次提交写入其余的行。",
                                              e=getattr(error, "message", None) or type(error).__name__))
            save_meta(token, meta)
        finally:
            db.session.remove()
            (folder() / f"{token}.lock").unlink(missing_ok=True)


def run(token: str, meta: dict, actor) -> dict:
    """Plan the stored upload again and write it batch by batch, noting the progress in its meta; returns
    the counts."""
    results = plan(meta["kind"], upload_path(token).read_bytes())

    def progress(done: int, total: int) -> None:
        meta.update(done=done, total=total, heartbeat=utcnow().isoformat())
        save_meta(token, meta)

    counts = PLANS[meta["kind"]][1](results, actor=actor, on_batch=db.session.commit, progress=progress)
    meta.update(state=DONE, counts=counts, rows=rows_json(results), error="")
    save_meta(token, meta)
    return counts
