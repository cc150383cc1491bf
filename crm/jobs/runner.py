"""Run one job for one day and record the run (start, end, outcome, items, error) in job_runs."""
import logging
import traceback
from datetime import date, datetime

from crm.core.db import utcnow
from crm.extensions import db
from crm.jobs.models import JobRun
from crm.jobs.registry import JOBS
from crm.jobs.tasks import Skipped

log = logging.getLogger(__name__)


class UnknownJob(LookupError):
    pass


def run_job(name: str, *, today: date, now: datetime | None = None, trigger: str = "cli",
            holder: str = "") -> JobRun | None:
    """Runs the job in its own transaction; a failure is rolled back, recorded with its traceback, and
    raised no further: the job simply runs again at its next time. Returns the run (None for a quiet
    job that had nothing to do)."""
    spec = JOBS.get(name)
    if spec is None:
        raise UnknownJob(name)
    run = JobRun(job=name, run_for=today, trigger=trigger, holder=holder[:120], started_at=utcnow())
    if not spec.quiet:
        db.session.add(run)
        db.session.commit()  # a run that crashes the process still shows as "running"
    try:
        run.items = int(spec.func(today=today, now=now or utcnow()) or 0)
        db.session.commit()
        run.outcome = "ok"
    except Skipped as skipped:
        db.session.rollback()
        run.outcome, run.error = "skipped", str(skipped)
    except Exception:
        db.session.rollback()
        log.exception("job %s for %s failed", name, today)
        run.outcome, run.error = "failed", traceback.format_exc()[-4000:]
    run.ended_at = utcnow()
    if spec.quiet and run.outcome != "failed" and not run.items:
        return None
    db.session.add(run)
    db.session.commit()
    return run
