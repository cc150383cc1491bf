"""Single-process mode: run the scheduler in a background thread of the web app, when asked to.

Call `maybe_start(app)` once after `create_app()` where the app is served (wsgi.py). It starts
nothing unless app.config["RUN_SCHEDULER"] is true, never inside a `flask` command other than
`run`, and never in the reloader's parent process. Several processes calling it (gunicorn workers)
are safe: only the one holding the lease runs jobs, the others wait in case it stops.
"""
import logging
import threading

import click
from flask.helpers import get_debug_flag
from werkzeug.serving import is_running_from_reloader

from crm.jobs.scheduler import Scheduler

log = logging.getLogger(__name__)
_started: dict[int, Scheduler] = {}
_lock = threading.Lock()


def should_start(app) -> bool:
    if not app.config.get("RUN_SCHEDULER") or app.config.get("TESTING"):
        return False
    ctx = click.get_current_context(silent=True)
    if ctx is None:  # gunicorn, waitress, mod_wsgi: not a flask command
        return True
    if ctx.command.name != "run":  # `flask db upgrade`, `flask crm ...`: never
        return False
    reload = ctx.params.get("reload")
    if reload is None:
        reload = get_debug_flag()
    return not reload or is_running_from_reloader()  # the reloader's parent only watches files


def maybe_start(app) -> Scheduler | None:
    """Start the lease-guarded scheduler thread once per process; returns it, or None when not started."""
    if not should_start(app):
        return None
    with _lock:
        if id(app) in _started:
            return _started[id(app)]
        scheduler = Scheduler(app)
        thread = threading.Thread(target=scheduler.run_forever, name="crm-scheduler", daemon=True)
        thread.start()
        _started[id(app)] = scheduler
        log.info("embedded scheduler started (holder %s)", scheduler.holder)
        return scheduler
