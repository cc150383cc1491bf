"""The scheduler process: win the lease, then run each job on its cron line with APScheduler.

While another process holds the lease this one stays idle and tries again every `poll` seconds.
The schedule is read from settings at start and re-read every `reload_minutes` minutes.
"""
import logging
import threading
from datetime import date

from apscheduler.schedulers.blocking import BlockingScheduler

from crm.core.db import utcnow
from crm.core.formatting import local_today
from crm.extensions import db
from crm.jobs import lease
from crm.jobs.registry import JOBS, ZONE, cron_of, fires_on, trigger
from crm.jobs.runner import run_job

log = logging.getLogger(__name__)
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 600}


class Scheduler:
    def __init__(self, app, *, holder: str | None = None, lease_seconds: int = 60, poll: float = 15,
                 reload_minutes: float = 5):
        self.app, self.holder = app, holder or lease.new_holder()
        self.lease_seconds, self.poll, self.reload_minutes = lease_seconds, poll, reload_minutes
        self.stopping = threading.Event()
        self.apscheduler: BlockingScheduler | None = None
        self.crons: dict[str, str] = {}

    # -- the outer loop: wait for the lease, run the scheduler while holding it
    def run_forever(self) -> None:
        while not self.stopping.is_set():
            if self._acquire():
                log.info("scheduler %s holds the lease", self.holder)
                self._run_scheduler()
            else:
                self.stopping.wait(self.poll)
        with self.app.app_context():
            lease.release(self.holder, now=utcnow())
            db.session.remove()

    def stop(self, *_args) -> None:
        self.stopping.set()
        if self.apscheduler is not None and self.apscheduler.running:
            self.apscheduler.shutdown(wait=False)

    def _acquire(self) -> bool:
        with self.app.app_context():
            try:
                return lease.acquire(self.holder, now=utcnow(), seconds=self.lease_seconds)
            except Exception:  # a database hiccup: stay idle and try again
                log.exception("lease check failed")
                db.session.rollback()
                return False
            finally:
                db.session.remove()

    def _run_scheduler(self) -> None:
        self.apscheduler = BlockingScheduler(timezone=ZONE, job_defaults=JOB_DEFAULTS)
        self._load_schedule()
        self.apscheduler.add_job(self._renew, "interval", seconds=max(1, self.lease_seconds // 3), id="_lease")
        self.apscheduler.add_job(self._reload, "interval", minutes=self.reload_minutes, id="_reload")
        if not self.stopping.is_set():
            self.apscheduler.start()

    # -- jobs inside APScheduler
    def _load_schedule(self) -> None:
        with self.app.app_context():
            crons = {name: cron_of(name) for name in JOBS}
            db.session.remove()
        for name, cron in crons.items():
            if self.crons.get(name) == cron and self.apscheduler.get_job(name):
                continue
            if self.apscheduler.get_job(name):
                self.apscheduler.remove_job(name)
            if cron:
                self.apscheduler.add_job(self._fire, trigger(cron), args=[name], id=name, name=name)
        self.crons = crons

    def _reload(self) -> None:
        try:
            self._load_schedule()
        except Exception:  # a bad line saved behind the form's back keeps the previous schedule
            log.exception("schedule reload failed")

    def _renew(self) -> None:
        if not self._acquire():
            log.warning("scheduler %s lost the lease; going idle", self.holder)
            self.apscheduler.shutdown(wait=False)

    def _fire(self, name: str) -> None:
        with self.app.app_context():
            try:
                now = utcnow()
                if lease.holds(self.holder, now=now):
                    run_job(name, today=local_today(now), now=now, trigger="scheduler", holder=self.holder)
            finally:
                db.session.remove()


def run_once(app, day: date, *, holder: str | None = None, lease_seconds: int = 300) -> list | None:
    """Run, once, every job whose schedule fires on `day`, holding the lease; None when another holds it."""
    holder = holder or lease.new_holder()
    if not lease.acquire(holder, now=utcnow(), seconds=lease_seconds):
        return None
    try:
        names = [name for name in JOBS if fires_on(cron_of(name), day)]
        return [(name, run_job(name, today=day, trigger="scheduler", holder=holder)) for name in names]
    finally:
        lease.release(holder, now=utcnow())
