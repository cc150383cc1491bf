"""Progress of a unit's yearly targets: what was set, what has been achieved, and the share done."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from crm.core import formatting
from crm.core.formatting import rate_percent
from crm.extensions import db
from crm.metrics.breakdown import funds_by_month
from crm.metrics.cohort import Cohort
from crm.metrics.definitions import percent
from crm.metrics.figures import compute
from crm.metrics.models import PROVINCE, Target, TargetMetric

TARGET_LABELS = {
    TargetMetric.signed: _l("签约项目数"), TargetMetric.big_10e: _l("10亿元以上项目数"),
    TargetMetric.big_100e: _l("100亿元以上项目数"), TargetMetric.funds_arrived: _l("到位资金（万元）"),
    TargetMetric.funds_growth: _l("到位资金增长（%）"), TargetMetric.start_rate: _l("开工率（%）"),
    TargetMetric.funds_arrival_rate: _l("资金到位率（%）"),
}


COUNT_METRICS = (TargetMetric.signed, TargetMetric.big_10e, TargetMetric.big_100e)
PERCENT_METRICS = (TargetMetric.funds_growth, TargetMetric.start_rate, TargetMetric.funds_arrival_rate)


def shown(metric: str, value: Decimal | None) -> str:
    """A target's or an achievement's value in the target's own unit: a count ("2"), a rate ("19.32%") or 万元."""
    if value is None:
        return formatting.DASH
    if metric in COUNT_METRICS:
        return f"{int(value)}"
    if metric in PERCENT_METRICS:
        return formatting.rate(value)
    return formatting.money(value)


@dataclass
class Progress:
    metric: str
    label: str
    target: Decimal  # in the unit the metric is set in: a count, a percent, or 万元
    actual: Decimal | None
    note: str = ""

    @property
    def share(self) -> Decimal | None:
        return None if self.actual is None else percent(self.actual, self.target)

    @property
    def bar(self) -> int:
        return 0 if self.share is None else max(0, int(min(self.share, 100)))

    @property
    def text(self) -> str:
        """"2 / 5", "12.50% / 10.00%", "1,200.00 / 3,000.00"."""
        return f"{shown(self.metric, self.actual)} / {shown(self.metric, self.target)}"


def targets_for(unit: str, year: int) -> list[Target]:
    return list(db.session.scalars(select(Target).where(Target.unit == unit, Target.year == year)
                                   .order_by(Target.metric)))


def year_cohort(cohort: Cohort, year: int) -> Cohort:
    """Targets are set per unit: only the park filter (and the viewer's scope) applies to them."""
    return Cohort(park=cohort.park, user=cohort.user, signed_from=date(year, 1, 1), signed_to=date(year, 12, 31),
                  today=cohort.today)


def progress(cohort: Cohort, year: int, *, figures: dict | None = None, months: dict | None = None) -> list[Progress]:
    """Targets of the cohort's park (or the province) for `year`, with what the year achieved.

    `figures` and `months` may be passed when the caller computed them for exactly `year_cohort`.
    """
    targets = targets_for(cohort.park or PROVINCE, year)
    if not targets:
        return []
    figures = figures or compute(year_cohort(cohort, year))
    months = months or funds_by_month(year_cohort(cohort, year), year)
    arrived, last_year = sum(months[year]), sum(months[year - 1])
    actual = {
        TargetMetric.signed: Decimal(figures["counts"]["signed"]),
        TargetMetric.big_10e: Decimal(figures["counts"]["big_10e"]),
        TargetMetric.big_100e: Decimal(figures["counts"]["big_100e"]),
        TargetMetric.funds_arrived: arrived,
        # growth in percent on last year's funds; "—" when last year had none to grow from
        TargetMetric.funds_growth: rate_percent(arrived - last_year, last_year),
        TargetMetric.start_rate: figures["rates"]["start_rate"]["value"],
        TargetMetric.funds_arrival_rate: figures["rates"]["funds_arrival_rate"]["value"],
    }
    out = []
    for t in targets:
        note = t.note
        if t.metric == TargetMetric.funds_growth:
            note = f"{formatting.money(arrived)} ÷ {formatting.money(last_year)} − 1"
        out.append(Progress(t.metric, str(TARGET_LABELS.get(t.metric, t.metric)), t.value, actual.get(t.metric), note))
    return out
