"""The figures of a cohort computed with SQL aggregates (one query for the rates, one for the funnel)."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import Select, case, func, select

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
from crm.metrics.definitions import COUNTS, RATES, funds_by_project, rate_value
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


def _rate_columns(cohort: Cohort, funds) -> dict:
    signed = signed_cohort(cohort)
    columns = {}
    for key, rate in RATES.items():
        if not rate.money:
            columns[f"{key}:n"] = count_if(rate.numerator(cohort))
            columns[f"{key}:d"] = count_if(rate.denominator(cohort))
    columns.update(agreed_investment=sum_if(signed, Project.agreed_investment),
                   funds_arrived=sum_if(signed, func.coalesce(funds.c.total, 0)))
    return columns


def _columns(cohort: Cohort, funds) -> dict:
    columns = _rate_columns(cohort, funds)
    for key, (_label, cond) in COUNTS.items():
        if not key.startswith("stage_"):
            columns[key] = count_if(cond(cohort))
    with_land = COUNTS["with_land"][1](cohort)
    columns.update(fixed_asset_investment=sum_if(with_land, Project.fixed_asset_investment),
                   land_mu=sum_if(with_land, Project.land_mu))
    return columns


def _statement(cohort: Cohort, columns: Callable, funds) -> Select:
    """The aggregates `columns(cohort, funds)` over the projects that reached negotiation in the cohort."""
    built = columns(cohort, funds)
    query = (select(*[c.label(k.replace(":", "__")) for k, c in built.items()]).select_from(Project)
             .outerjoin(funds, funds.c.project_id == Project.id).where(reached_negotiation(cohort)))
    return scoped(query, cohort)


@dataclass(frozen=True)
class _Kept:
    """A statement's key: the columns and what cache.cohort_key says the cohort's queries depend on."""
    columns: Callable
    key: tuple
    cohort: Cohort = field(compare=False)  # to build it from


@lru_cache(maxsize=32)
def _kept_statement(kept: _Kept) -> Select:
    # Building the CASE columns takes about as long as SQLite takes to run them, and a statement used
    # again keeps its cache key: the dashboard rebuilt after a write builds none.
    return _statement(kept.cohort, kept.columns, funds_by_project())


def _aggregate(cohort: Cohort, columns: Callable, *, funds_until: date | None = None) -> dict:
    """The aggregates by name. Statements are kept only when the cohort names its day (else "late" reads
    the clock when built) and funds count to date (to a cut-off month they read the counting settings)."""
    if funds_until is None and cohort.today is not None:
        statement = _kept_statement(_Kept(columns, cache.cohort_key(cohort), cohort))
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
    figures["counts"] = {k: int(values[k]) for k in COUNTS if not k.startswith("stage_")}
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

