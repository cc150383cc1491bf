"""Side-by-side figures by park, fair edition, industry and officer, all from one statement."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, literal, select, union_all

from crm.auth.models import User
from crm.events.models import Event
from crm.extensions import db
from crm.metrics import cache
from crm.metrics.cohort import Cohort, narrows_projects, project_ids, reached_negotiation, scoped, signed_cohort
from crm.metrics.definitions import RATES, SIGNED, counted_funds, funds_by_project, percent
from crm.metrics.figures import count_if, flag, kept_statement, money, sum_if, within
from crm.parks.models import Industry, Park
from crm.projects.models import FundsEntry, Project

DIMENSIONS = ("park", "event", "industry", "officer")


@dataclass
class Row:
    key: int | None
    label: str
    args: dict  # drill-down filters for this row
    signed: int
    performing: int
    started: int
    agreed: object
    funds: object
    month_funds: object = 0

    @property
    def performance_rate(self):
        return percent(self.performing, self.signed)

    @property
    def start_rate(self):
        return percent(self.started, self.signed)

    @property
    def funds_rate(self):
        return percent(self.funds, self.agreed)


def _key_column(dimension: str):
    if dimension == "park":  # a base's projects count in its key park's row
        return func.coalesce(Park.parent_id, Park.id)
    return {"event": Project.event_id, "industry": Project.industry_id, "officer": Project.officer_id}[dimension]


def _labels(dimension: str, keys: list[int]) -> dict[int, tuple[str, object]]:
    """{key: (label, drill-down filter value)} for the keys found."""
    if dimension == "park":
        rows = db.session.execute(select(Park.id, Park.name, Park.code).where(Park.id.in_(keys)))
        return {r[0]: (r[1], r[2]) for r in rows}
    model, name = {"event": (Event, Event.name), "industry": (Industry, Industry.name),
                   "officer": (User, func.coalesce(func.nullif(User.display_name, ""), User.username))}[dimension]
    return {r[0]: (r[1], r[0]) for r in db.session.execute(select(model.id, name).where(model.id.in_(keys)))}


def breakdowns(cohort: Cohort, dimensions=DIMENSIONS, *, until: date | None = None,
               month: date | None = None) -> dict[str, list[Row]]:
    """Rows by each of `dimensions`; funds to date up to `until`, and arrived in `month` when one is given.

    One pass over the projects: each project's keys and counted values are read once into a materialised
    CTE, which is then grouped by each dimension's key in turn. The database adds up, and returns a row per
    key, not one per combination of the four keys (some 1,200 for a year of the province, which cost more
    to turn into Python objects and add up here than the query itself).
    """
    if until is None and month is None:  # funds to date: the statement reads no settings while built
        statement = kept_statement(_grouped, cohort, tuple(dimensions), None, None)
    else:
        statement = _grouped(cohort, tuple(dimensions), until, month)
    totals: dict[str, dict] = {d: {} for d in dimensions}
    for dimension, key, *sums_of_key in db.session.execute(statement):
        totals[dimension][key] = sums_of_key
    return {d: _rows(cohort, d, totals[d]) for d in dimensions}


def _grouped(cohort: Cohort, dimensions: tuple, until: date | None, month: date | None):
    """(dimension, key, signed, performing, started, agreed, funds[, month's funds]) for each key of each
    dimension."""
    funds = funds_by_project(until=until)
    values = [_key_column(d).label(d) for d in dimensions] + [
        Project.counted_stage, Project.agreed_investment, func.coalesce(funds.c.total, 0).label("funds"),
        flag(signed_cohort(cohort)).label("signed")]
    query = (select(*values).select_from(Project).join(Park, Park.id == Project.park_id)
             .outerjoin(funds, funds.c.project_id == Project.id).where(reached_negotiation(cohort)))
    if month is not None:  # the monthly summary's column; the dashboard does not need it
        in_month = funds_by_project(month=month)
        query = query.add_columns(func.coalesce(in_month.c.total, 0).label("month_funds")) \
            .outerjoin(in_month, in_month.c.project_id == Project.id)
    # read once per dimension: both databases would materialise it anyway; the hint says it is meant
    facts = scoped(query, cohort).cte("facts").prefix_with("MATERIALIZED")
    signed = within(SIGNED, cohort, facts)
    sums = [func.sum(facts.c.signed), count_if(within(RATES["performance_rate"].numerator, cohort, facts)),
            count_if(within(RATES["start_rate"].numerator, cohort, facts)),
            sum_if(signed, facts.c.agreed_investment), sum_if(signed, facts.c.funds)]
    if month is not None:
        sums.append(sum_if(signed, facts.c.month_funds))
    return union_all(*(select(literal(d).label("dimension"), facts.c[d].label("key"), *sums)
                       .group_by(facts.c[d]) for d in dimensions))


def breakdown(cohort: Cohort, dimension: str, *, until: date | None = None, month: date | None = None) -> list[Row]:
    """The rows of one dimension (see breakdowns)."""
    return breakdowns(cohort, (dimension,), until=until, month=month)[dimension]


def _rows(cohort: Cohort, dimension: str, totals: dict) -> list[Row]:
    found = {k: v for k, v in totals.items() if v[0]}  # keys with no signed project show no row
    labels = _labels(dimension, [k for k in found if k is not None])
    base_args = cohort.args()
    rows = []
    for k, (n_signed, n_perf, n_start, agreed, arrived, *in_month_total) in found.items():
        arrived_in_month = in_month_total[0] if in_month_total else 0
        label, value = labels.get(k, ("未关联", None))
        args = dict(base_args)
        if value is not None and not (dimension == "park" and cohort.park):
            args[dimension] = value  # with a park filter already set, the row is exactly that cohort
        rows.append(Row(k, label, args if value is not None else {}, int(n_signed), int(n_perf), int(n_start),
                        money(agreed), money(arrived), money(arrived_in_month)))
    return sorted(rows, key=lambda r: (-r.signed, r.label, r.key is None, r.key or 0))  # ties: by key, stably


def funds_by_month(cohort: Cohort, year: int) -> dict[int, list]:
    """Counted funds arrived per month of `year` and of the year before (万元) for the cohort's filters.
    Of all projects, they are kept under the funds' own data token (the caller must not change them): a
    stage change or a new project, much more frequent than a funds entry, does not make them read again."""
    if narrows_projects(cohort):
        return _funds_by_month(cohort, year)
    return cache.funds.get(year, lambda: _funds_by_month(cohort, year))


def _funds_by_month(cohort: Cohort, year: int) -> dict[int, list]:
    # period is always the first of a month, so grouping by it groups by month (and keeps the index usable)
    query = (select(FundsEntry.period, func.sum(FundsEntry.amount))
             .where(*counted_funds(), FundsEntry.period >= date(year - 1, 1, 1),
                    FundsEntry.period <= date(year, 12, 31)).group_by(FundsEntry.period))
    if narrows_projects(cohort):  # only when a filter needs it; through the ids, so each project's entries
        query = query.where(FundsEntry.project_id.in_(project_ids(cohort)))  # are read by the project index
    series = {year - 1: [money(0)] * 12, year: [money(0)] * 12}
    for period, total in db.session.execute(query).all():
        series[period.year][period.month - 1] += money(total)
    return series
