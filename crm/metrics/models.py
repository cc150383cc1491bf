"""Yearly targets per unit (province or park), monthly snapshots of the figures for trend charts, and the
summaries that keep the dashboard fast (funds per project, the data version its caches are keyed by)."""
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.core.db import TimestampMixin, utcnow
from crm.extensions import db

PROVINCE = "province"


class TargetMetric(StrEnum):
    signed = "signed"  # projects signed in the year
    big_10e = "big_10e"  # projects of 10亿 and more
    big_100e = "big_100e"  # projects of 100亿 and more
    funds_arrived = "funds_arrived"  # 万元 arrived in the year
    funds_growth = "funds_growth"  # % growth of funds arrived on the year before
    start_rate = "start_rate"  # % of the year's signed projects started
    funds_arrival_rate = "funds_arrival_rate"  # % of the year's agreed investment arrived


class Target(TimestampMixin, db.Model):
    __tablename__ = "metric_targets"
    __table_args__ = (UniqueConstraint("unit", "year", "metric"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # bumped by every write (ETag)
    __mapper_args__ = {"version_id_col": version}
    unit: Mapped[str] = mapped_column(String(20), default=PROVINCE)  # "province" or a park code
    year: Mapped[int] = mapped_column(index=True)
    metric: Mapped[str] = mapped_column(String(30))
    value: Mapped[Decimal]
    note: Mapped[str] = mapped_column(String(200), default="")


class MetricSnapshot(db.Model):
    """The figures of one scope at the end of a month, kept so charts show how a rate moved."""

    __tablename__ = "metric_snapshots"
    __table_args__ = (UniqueConstraint("month", "scope_kind", "scope_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(index=True)  # first day of the month
    scope_kind: Mapped[str] = mapped_column(String(10))  # park / event / province
    scope_id: Mapped[int] = mapped_column(default=0)  # park or event id; 0 for the province
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProjectFunds(db.Model):
    """Counted funds to date per project (crm.metrics.funds_summary keeps it equal to the funds ledger).

    The dashboard sums funds over thousands of projects many times a request; reading one row a project
    instead of aggregating every funds entry each time is what keeps it fast at provincial scale.
    """

    __tablename__ = "metric_project_funds"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    total: Mapped[Decimal] = mapped_column(default=Decimal(0))


class DataVersion(db.Model):
    """Rows whose tokens change in every committed transaction that wrote what the figures read (row 1: any
    of it; row 2: the funds entries and settings alone, crm.metrics.freshness).

    Each worker process keeps rendered figures under the token it read (crm.metrics.cache); the token
    lives here, in the database, so a write committed by one worker retires every worker's copies at once.
    crm.metrics.freshness keeps it.
    """

    __tablename__ = "metric_data_version"

    id: Mapped[int] = mapped_column(primary_key=True)  # freshness.ALL or freshness.FUNDS
    token: Mapped[str] = mapped_column(String(32))

