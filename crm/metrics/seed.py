"""Seed the province's yearly targets of policy document 004 for the current year (idempotent)."""
from decimal import Decimal

from sqlalchemy import select

from crm.core.db import utcnow
from crm.core.formatting import local_today
from crm.core.seedfiles import ChangeCounter
from crm.extensions import db
from crm.metrics.models import PROVINCE, Target, TargetMetric

# 004: each year 20 industrial projects of 10亿+, 2 of 100亿+, funds arrived growing 10%.
DOCUMENT_004 = {TargetMetric.big_10e: Decimal(20), TargetMetric.big_100e: Decimal(2),
                TargetMetric.funds_growth: Decimal(10)}


def seed_targets(counter: ChangeCounter, year: int | None = None) -> None:
    year = year or local_today(utcnow()).year
    for metric, value in DOCUMENT_004.items():
        row = db.session.scalar(select(Target).where(Target.unit == PROVINCE, Target.year == year,
                                                     Target.metric == metric))
        if row is None:
            db.session.add(Target(unit=PROVINCE, year=year, metric=metric, value=value, note="004"))
            counter.created_one("targets")
        # an admin may have changed a seeded target: a new seed run leaves it as it is
