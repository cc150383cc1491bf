"""The figures of a cohort computed with SQL aggregates (one query for the rates, one for the funnel)."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import Select, and_, case, func, select

from crm.core.db import Money
from crm.extensions import db
from crm.metrics import cache
from crm.metrics.cohort import (
    Cohort,
    in_stages,
    narrows_projects,
    reached_negotiation,
    scoped,
    signed_cohort,
)
from crm.metrics.definitions import COUNTS, RATES, SIGNED, SignedAnd, funds_by_project, rate_value
from crm.projects.models import Project
from crm.projects.stages import Stage

FOUR_PLACES = Decimal("0.0001")


def flag(condition):
    """1 for a project meeting the condition, else 0 (a row's share of count_if)."""
    return case((condition, 1), else_=0)


def amount(condition, column):
    """The column for a project meeting the condition, else 0 (a row's share of sum_if)."""
    return case((condition, column), else_=0)


def count_if(condition):
    return func.coalesce(func.sum(flag(condition)), 0)


def sum_if(condition, column):
    return func.coalesce(func.sum(amount(condition, column), type_=Money), 0)


def money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(FOUR_PLACES)


# What the figures' conditions read of a project (SignedAnd.also), besides its signing.
FACT_COLUMNS = (Project.counted_stage, Project.agreed_investment, Project.fixed_asset_investment, Project.land_mu,
                Project.planned_start_date, Project.planned_production_date)


def _facts(cohort: Cohort, funds):
    """The projects that reached negotiation in the cohort, each with what the figures read of it and
    whether it was signed in the period, tested once. Materialised, so that the database does not
    test the signing again in each of the dozen figures that count within it."""
    query = (select(*FACT_COLUMNS, func.coalesce(funds.c.total, 0).label("funds"),
                    flag(signed_cohort(cohort)).label("signed"))
             .select_from(Project).outerjoin(funds, funds.c.project_id == Project.id)
             .where(reached_negotiation(cohort)))
    return scoped(query, cohort).cte("facts").prefix_with("MATERIALIZED")


def within(measure: SignedAnd, cohort: Cohort, facts):
    """The measure's condition over the facts."""
    signed = facts.c.signed == 1
    return signed if measure.also is None else and_(signed, measure.also(cohort, facts.c))


def _count(measure: Callable, cohort: Cohort, facts):
    if measure is reached_negotiation:
        return func.count()  # every fact reached negotiation
    return count_if(within(measure, cohort, facts))


def _rate_columns(cohort: Cohort, facts) -> dict:
    columns = {}
    for key, rate in RATES.items():
        if not rate.money:
            columns[f"{key}:n"] = _count(rate.numerator, cohort, facts)
            columns[f"{key}:d"] = _count(rate.denominator, cohort, facts)
    signed = within(SIGNED, cohort, facts)
    columns.update(agreed_investment=sum_if(signed, facts.c.agreed_investment),
                   funds_arrived=sum_if(signed, facts.c.funds))
    return columns


def _columns(cohort: Cohort, facts) -> dict:
    columns = _rate_columns(cohort, facts)
    for key, (_label, measure) in COUNTS.items():
        if not key.startswith(("stage_", "reached_")):  # the pipeline's counts come from stage_counts()
            columns[key] = _count(measure, cohort, facts)
    with_land = within(COUNTS["with_land"][1], cohort, facts)
    columns.update(fixed_asset_investment=sum_if(with_land, facts.c.fixed_asset_investment),
                   land_mu=sum_if(with_land, facts.c.land_mu))
    return columns


def _statement(cohort: Cohort, columns: Callable, funds) -> Select:
    """The aggregates `columns(cohort, facts)` over the facts of the projects that reached negotiation."""
    facts = _facts(cohort, funds)
    built = columns(cohort, facts)
    return select(*[c.label(k.replace(":", "__")) for k, c in built.items()]).select_from(facts)


@dataclass(frozen=True)
class _Kept:
    """A kept statement's key: its builder, the builder's other arguments and what cache.cohort_key says
    the cohort's queries depend on."""
    build: Callable
    args: tuple
    key: tuple
    cohort: Cohort = field(compare=False)  # to build it from


@lru_cache(maxsize=64)
def _kept(kept: _Kept) -> Select:
    return kept.build(kept.cohort, *kept.args)


def kept_statement(build: Callable, cohort: Cohort, *args) -> Select:
    """`build(cohort, *args)`, built once per cohort key and arguments and then kept.

    Building a statement of many CASE columns, and the cache key SQLAlchemy works out for a new statement
    object, take about as long as SQLite takes to run it; a statement used again keeps its cache key, so
    the dashboard rebuilt after a write builds none. Only for statements that read neither the clock nor
    the settings while being built: those would keep what they read.
    """
    return _kept(_Kept(build, args, cache.cohort_key(cohort), cohort))


def _statement_to_date(cohort: Cohort, columns: Callable) -> Select:
    return _statement(cohort, columns, funds_by_project())


def _aggregate(cohort: Cohort, columns: Callable, *, funds_until: date | None = None) -> dict:
    """The aggregates by name. Statements are kept only when the cohort names its day (else "late" reads
    the clock when built) and funds count to date (to a cut-off month they read the counting settings)."""
    if funds_until is None and cohort.today is not None:
        statement = kept_statement(_statement_to_date, cohort, columns)
    else:
        statement = _statement(cohort, columns, funds_by_project(until=funds_until))
    row = db.session.execute(statement).mappings().one()
    return {k.replace("__", ":"): v for k, v in row.items()}


def _rates(values: dict) -> dict:
    rates = {}
    for key, rate in RATES.items():
        if rate.money:
            rates[key] = rate_value(money(values["funds_arrived"]), money(values["agreed_investment"]))
        else:
            rates[key] = rate_value(int(values[f"{key}:n"]), int(values[f"{key}:d"]))
    return rates


def compute(cohort: Cohort, *, funds_until: date | None = None) -> dict:
    """Every figure of the cohort: rates as {numerator, denominator, value}, counts and totals."""
    values = _aggregate(cohort, _columns, funds_until=funds_until)
    figures = {"rates": _rates(values)}
    figures["counts"] = {k: int(values[k]) for k in COUNTS if not k.startswith(("stage_", "reached_"))}
    figures["totals"] = {k: money(values[k]) for k in
                         ("agreed_investment", "funds_arrived", "fixed_asset_investment", "land_mu")}
    figures["totals"]["investment_intensity"] = _intensity(figures["totals"])
    figures["stages"] = stage_counts(cohort)
    return figures


def compute_rates(cohort: Cohort) -> dict:
    """The rates of compute() alone, in half the columns (what a comparison with another period shows)."""
    return _rates(_aggregate(cohort, _rate_columns))


def _intensity(totals: dict) -> Decimal | None:
    """投资强度 in 万元/亩 over the signed projects that report both land and fixed-asset investment."""
    if not totals["land_mu"]:
        return None
    return (totals["fixed_asset_investment"] / totals["land_mu"]).quantize(Decimal("0.1"))


def stage_counts(cohort: Cohort) -> dict[str, int]:
    """Projects by counted stage now (the funnel): the whole pipeline of the filters, not one period."""
    if narrows_projects(cohort):
        # one row of counts: grouping would make SQLite walk the counted_stage index over every project
        # (to skip a sort) and look each one up, instead of reading only the filtered projects
        row = db.session.execute(scoped(select(*[count_if(in_stages(s)) for s in Stage]), cohort)).one()
        return {str(stage): int(n) for stage, n in zip(Stage, row, strict=True)}
    found = dict(db.session.execute(select(Project.counted_stage, func.count()).group_by(Project.counted_stage)).all())
    return {str(stage): int(found.get(str(stage), 0)) for stage in Stage}


def change(current: dict, previous: dict) -> Decimal | None:
    """Percentage points between two rates; None when either is "—"."""
    if current["value"] is None or previous["value"] is None:
        return None
    return current["value"] - previous["value"]


def as_json(figures: dict) -> dict:
    """Figures as plain JSON: rates under their names with value in percent (a number) or null."""
    def number(value):
        return None if value is None else (float(value) if isinstance(value, Decimal) else value)

    out = {key: {k: number(v) for k, v in rate.items()} for key, rate in figures["rates"].items()}
    out["stages"] = figures["stages"]
    out["counts"] = figures["counts"]
    out["totals"] = {k: number(v) for k, v in figures["totals"].items()}
    return out

