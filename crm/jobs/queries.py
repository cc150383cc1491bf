"""Reads: a user's notifications (all, unread or read), the unread count, and the job history."""
from sqlalchemy import Select, func, select

from crm.extensions import db
from crm.jobs.models import JobRun, Notification


def notifications_for(user, status: str = "") -> Select:
    """status: "unread", "read" or anything else for all; newest first."""
    query = select(Notification).where(Notification.user_id == user.id, Notification.in_app.is_(True))
    if status == "unread":
        query = query.where(Notification.read_at.is_(None))
    elif status == "read":
        query = query.where(Notification.read_at.is_not(None))
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def unread_count(user) -> int:
    return db.session.scalar(unread_count_of(user.id)) or 0


def unread_count_of(user_id) -> Select:
    """One COUNT on the (user_id, in_app, read_at) index: cheap enough for every page's bell. user_id may be
    a column, so the sign-in loader reads the count with the user (auth/loaders.py)."""
    return select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.in_app.is_(True), Notification.read_at.is_(None))


def job_runs(job: str = "") -> Select:
    query = select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc())
    return query.where(JobRun.job == job) if job else query


def last_runs() -> dict[str, JobRun]:
    """The latest run of each job, for the schedule page."""
    latest = select(JobRun.job, func.max(JobRun.id).label("id")).group_by(JobRun.job).subquery()
    rows = db.session.scalars(select(JobRun).join(latest, latest.c.id == JobRun.id))
    return {run.job: run for run in rows}
