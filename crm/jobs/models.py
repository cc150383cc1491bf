"""Notifications, each user's delivery choices, the history of job runs and the scheduler's lease row."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.db import utcnow
from crm.extensions import db


class Notification(db.Model):
    """One message for one user. `dedupe_key` (job, period, target) is unique: a job run twice adds nothing."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "in_app", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(255), default="")  # a path such as /projects/12
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    in_app: Mapped[bool] = mapped_column(default=True)  # shown in the centre and counted by the bell
    email: Mapped[bool] = mapped_column(default=False)  # the user asked for this kind by e-mail
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]
    email_attempts: Mapped[int] = mapped_column(default=0)
    email_error: Mapped[str] = mapped_column(Text, default="")

    user = relationship("User")


class NotificationPreference(db.Model):
    """Which kinds reach a user in the app and by e-mail; no row means the kind's defaults."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    in_app: Mapped[bool] = mapped_column(default=True)
    email: Mapped[bool] = mapped_column(default=False)


class JobRun(db.Model):
    """One run of one job for one day: when, how it ended, how many items it made, and why it failed."""

    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_job_started", "job", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    run_for: Mapped[date]
    trigger: Mapped[str] = mapped_column(String(20), default="scheduler")  # scheduler / cli / admin
    holder: Mapped[str] = mapped_column(String(120), default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ended_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(20), default="running")  # running / ok / failed / skipped
    items: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")


class SchedulerLease(db.Model):
    """Who runs the scheduler: the holder renews `expires_at`; others wait until it lapses."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime]
