"""The scheduler lease: one row that one process holds and renews; others wait until it lapses."""
import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from crm.extensions import db
from crm.jobs.dbutil import insert_ignore
from crm.jobs.models import SchedulerLease

NAME = "scheduler"


def new_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def acquire(holder: str, *, now: datetime, seconds: int) -> bool:
    """Take or renew the lease; True when `holder` holds it until now + seconds.

    The UPDATE's WHERE (ours, or lapsed) is re-checked under the row lock on PostgreSQL, so two
    processes racing for a lapsed lease cannot both win.
    """
    expires = now + timedelta(seconds=seconds)
    won = insert_ignore(SchedulerLease, {"name": NAME, "holder": holder, "expires_at": expires}, ["name"])
    if not won:
        result = db.session.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == NAME, or_(SchedulerLease.holder == holder, SchedulerLease.expires_at < now))
            .values(holder=holder, expires_at=expires).execution_options(synchronize_session=False))
        won = result.rowcount == 1
    db.session.commit()
    return won


def holds(holder: str, *, now: datetime) -> bool:
    return db.session.scalar(select(SchedulerLease.name).where(
        SchedulerLease.name == NAME, SchedulerLease.holder == holder, SchedulerLease.expires_at > now)) is not None


def release(holder: str, *, now: datetime) -> None:
    db.session.execute(update(SchedulerLease).where(SchedulerLease.name == NAME, SchedulerLease.holder == holder)
                       .values(expires_at=now).execution_options(synchronize_session=False))
    db.session.commit()


def current() -> SchedulerLease | None:
    return db.session.get(SchedulerLease, NAME)
