"""The rates and counts, each defined once as SQL conditions: what the aggregate counts is what the list shows.

签约率 signing_rate      = projects signed in the period ÷ projects counted past 线索 whose negotiation
                          date or signing date falls in the period (a project signed without a recorded
                          negotiation date still counts as having negotiated).
履约率 performance_rate  = projects in 前期, 开工 or 投产 ÷ projects signed in the period.
开工率 start_rate        = projects in 开工 or 投产 ÷ projects signed in the period.
投产率 production_rate   = projects in 投产 ÷ projects signed in the period that are in 开工 or 投产.
资金到位率 funds_arrival_rate = counted funds arrived to date ÷ agreed investment, summed over the signed cohort.

"Signed in the period" counts projects dropped after signing (denominator only, never a numerator).
Only what passed review counts: the stage is `counted_stage`, funds are approved, current entries.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select

from crm.core import settings
from crm.core.db import utcnow
from crm.core.formatting import local_today, rate_percent
from crm.metrics.cohort import Cohort, in_stages, reached_negotiation, signed_cohort
from crm.metrics.models import ProjectFunds
from crm.projects.models import FundsEntry, Project, ReviewStatus
from crm.projects.stages import PATH, STAGE_LABELS, Stage

FUNDS_SOURCES = ("省外境内", "境外", "省内")
FUNDS_USES = ("fixed_assets", "working_capital")
COUNTED_SOURCES = settings.declare("funds.counted_sources", list(FUNDS_SOURCES))
COUNTED_USES = settings.declare("funds.counted_uses", list(FUNDS_USES))

BIG_5E, BIG_10E, BIG_100E = Decimal(50_000), Decimal(100_000), Decimal(1_000_000)  # 万元


@dataclass(frozen=True)
class SignedAnd:
    """A condition on Project: signed in the period (signed_cohort) and `also`, if any.

    Almost every figure counts within the signed cohort. The aggregates (crm.metrics.figures) test the
    signing once per project and each figure's `also` on top, instead of the whole condition per figure;
    the drill-down lists call it for the whole condition. `also(cohort, p)` reads the project's columns
    from `p`: Project itself, or the per-project facts the aggregates select first.
    """
    also: Callable | None = None

    def __call__(self, cohort: Cohort):
        signed = signed_cohort(cohort)
        return signed if self.also is None else and_(signed, self.also(cohort, Project))


@dataclass(frozen=True)
class Rate:
    key: str
    label: object
    numerator: Callable  # (cohort) -> SQL condition on Project; a SignedAnd or reached_negotiation
    denominator: Callable
    explain: object
    money: bool = False  # 资金到位率 sums money instead of counting projects


SIGNED = SignedAnd()  # "Signed in the period" counts projects dropped after signing (denominator only).
_performing = SignedAnd(lambda c, p: p.counted_stage.in_((Stage.preparing, Stage.started, Stage.producing)))
_started = SignedAnd(lambda c, p: p.counted_stage.in_((Stage.started, Stage.producing)))
_producing = SignedAnd(lambda c, p: p.counted_stage == Stage.producing)


RATES = {r.key: r for r in [
    Rate("signing_rate", _l("签约率"), SIGNED, reached_negotiation,
         _l("期内签约项目数 ÷ 期内进入洽谈（洽谈日期或签约日期在期内）的项目数")),
    Rate("performance_rate", _l("履约率"), _performing, SIGNED,
         _l("前期、开工、投产项目数 ÷ 期内签约项目数（含签约后终止的项目）")),
    Rate("start_rate", _l("开工率"), _started, SIGNED,
         _l("开工（含投产）项目数 ÷ 期内签约项目数（含签约后终止的项目）")),
    Rate("production_rate", _l("投产率"), _producing, _started,
         _l("投产项目数 ÷ 期内签约且已开工（含投产）的项目数")),
    Rate("funds_arrival_rate", _l("资金到位率"), SIGNED, SIGNED,
         _l("期内签约项目累计到位资金 ÷ 协议投资额合计（万元）"), money=True),
]}


def _at_least(amount: Decimal) -> SignedAnd:
    return SignedAnd(lambda c, p: and_(p.counted_stage != Stage.dropped, p.agreed_investment >= amount))


def _late(c: Cohort, p):
    """Signed but not started after the planned start, or started but not producing after the plan."""
    today = c.today or local_today(utcnow())
    late_start = and_(p.counted_stage.in_((Stage.signed, Stage.preparing)), p.planned_start_date < today)
    late_output = and_(p.counted_stage == Stage.started, p.planned_production_date < today)
    return late_start | late_output


# Count figures: (label, condition). Each is a drill-down target with the same condition.
COUNTS: dict[str, tuple[object, Callable]] = {
    "signed": (_l("签约项目"), SIGNED),
    "big_5e": (_l("5亿元以上项目"), _at_least(BIG_5E)),
    "big_10e": (_l("10亿元以上项目"), _at_least(BIG_10E)),
    "big_100e": (_l("100亿元以上项目"), _at_least(BIG_100E)),
    "with_land": (_l("有用地数据的签约项目"),
                  SignedAnd(lambda c, p: and_(p.land_mu > 0, p.fixed_asset_investment.is_not(None)))),
    "late": (_l("进度滞后项目"), SignedAnd(_late)),
}
for _stage in Stage:
    COUNTS[f"stage_{_stage}"] = (STAGE_LABELS[_stage], (lambda s: lambda c: in_stages(s))(_stage))
# The funnel's levels: projects not dropped that have reached at least the stage (dropped ones stand beside it).
for _i, _stage in enumerate(PATH):
    COUNTS[f"reached_{_stage}"] = (_l("至少到达%(stage)s", stage=STAGE_LABELS[_stage]),
                                   (lambda later: lambda c: in_stages(*later))(PATH[_i:]))


def condition(metric: str, part: str, cohort: Cohort):
    """The condition behind a figure; None for an unknown metric or part."""
    if metric in RATES and part in ("numerator", "denominator"):
        rate = RATES[metric]
        return (rate.numerator if part == "numerator" else rate.denominator)(cohort)
    if metric in COUNTS:
        return COUNTS[metric][1](cohort)
    return None


def counted_funds(until: date | None = None, month: date | None = None) -> list:
    """Funds that count: approved, not superseded, of a counted source and use, up to a month."""
    clauses = [FundsEntry.review_status == ReviewStatus.approved, FundsEntry.superseded_by_id.is_(None),
               FundsEntry.source.in_(settings.get(COUNTED_SOURCES) or []),
               FundsEntry.use.in_(settings.get(COUNTED_USES) or [])]
    if until is not None:
        clauses.append(FundsEntry.period <= until)
    if month is not None:
        clauses.append(FundsEntry.period == month)
    return clauses


def funds_by_project(until: date | None = None, month: date | None = None):
    """Subquery (project_id, total) of counted funds per project.

    Funds to date are read from the per-project totals kept by crm.metrics.funds_summary (the same
    counted_funds() rule, refreshed on every write); a cut-off or a single month aggregates the entries.
    """
    if until is None and month is None:
        return select(ProjectFunds.project_id, ProjectFunds.total).subquery()
    return (select(FundsEntry.project_id, func.sum(FundsEntry.amount).label("total"))
            .where(*counted_funds(until, month)).group_by(FundsEntry.project_id).subquery())


def percent(numerator, denominator) -> Decimal | None:
    """Percent rounded to two places, as the provincial reports print rates; None (shown "—") when nothing is there to
    divide by. The one rounding rule lives in crm.core.formatting."""
    return rate_percent(numerator, denominator)


def rate_value(numerator, denominator) -> dict:
    return {"numerator": numerator, "denominator": denominator, "value": percent(numerator, denominator)}
