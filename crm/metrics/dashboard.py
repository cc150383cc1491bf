"""Everything the dashboard page shows, gathered from the metrics modules (no Flask request in here)."""
from datetime import date
from urllib.parse import urlencode

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.extensions import db
from crm.metrics import breakdown as bd
from crm.metrics.cohort import Cohort, projects, scoped
from crm.metrics.definitions import COUNTS, RATES, condition, funds_by_project
from crm.metrics.empty import why_empty
from crm.metrics.figures import change, compute, compute_rates, money, sum_if
from crm.metrics.queries import late_projects, open_problems, snapshots, trend_scope
from crm.metrics.targets import progress, year_cohort
from crm.projects.models import Project
from crm.projects.stages import PATH, STAGE_LABELS, Stage

CARD_RATES = ("performance_rate", "start_rate", "funds_arrival_rate", "signing_rate")
TREND_KEYS = ("performance_rate", "start_rate", "funds_arrival_rate")


# What the router leaves unescaped in a query string (werkzeug's url_encode), so both write the same links.
URL_SAFE = "!$'()*,/:;?@"


class DrillLinks:
    """The drill-down links of one page, as url_for("metrics.drilldown", metric=…, part=…, **filters) writes them.

    A dashboard holds some 400 links over a few dozen sets of filters: the route's path is built once and
    each set of filters encoded once, instead of routing and encoding every link (a fifth of the time a
    worker takes to build the page again after a write).
    """

    def __init__(self):
        self.path = url_for("metrics.drilldown")
        self._encoded: dict[tuple, str] = {}

    def __call__(self, cohort: Cohort, metric: str, part: str = "") -> str:
        """The link behind a figure of the cohort."""
        return self.with_filters(metric, part, cohort.args())

    def with_filters(self, metric: str, part: str, filters: dict) -> str:
        """The link behind a figure of the projects these filters (query arguments) select."""
        head = self._encode((("metric", metric), ("part", part)) if part else (("metric", metric),))
        tail = self._encode(tuple(filters.items()))
        return f"{self.path}?{head}&{tail}" if tail else f"{self.path}?{head}"

    def _encode(self, items: tuple) -> str:
        encoded = self._encoded.get(items)
        if encoded is None:
            encoded = self._encoded[items] = urlencode(items, safe=URL_SAFE)
        return encoded


def build(cohort: Cohort, year: int, today: date, links: DrillLinks) -> dict:
    figures = compute(cohort)
    previous = {"rates": compute_rates(cohort.last_year())}  # the template shows its rates alone
    comparisons = bd.breakdowns(cohort)
    months = bd.funds_by_month(cohort, year)
    return {
        "figures": figures, "previous": previous, "year": year,
        "changes": {k: change(figures["rates"][k], previous["rates"][k]) for k in RATES},
        "rates": RATES, "card_rates": CARD_RATES, "counts": COUNTS, "comparisons": comparisons,
        "months": months, "targets": _progress(cohort, year, figures, months),
        "late": late_projects(cohort), "problems": open_problems(cohort),
        "funnel": funnel_levels(figures["stages"]), "why_empty": why_empty(cohort, figures["counts"]["signed"]),
        "charts": {"funnel": funnel_chart(cohort, figures, links), "funds": funds_chart(months, year),
                   **{f"by_{d}": comparison_chart(rows, links) for d, rows in comparisons.items()},
                   "trend": trend_chart(cohort, today)},
    }


def _progress(cohort: Cohort, year: int, figures: dict, months: dict) -> list:
    same = cohort == year_cohort(cohort, year)  # the page's cohort is already the targets' cohort
    return progress(cohort, year, figures=figures if same else None, months=months if same else None)


def funnel_levels(stages: dict[str, int]) -> list[tuple[Stage, int]]:
    """(stage, projects not dropped that reached at least that stage), from each project's stage now."""
    levels, reached = [], 0
    for stage in reversed(PATH):
        reached += stages[stage]
        levels.append((stage, reached))
    return levels[::-1]


def funnel_chart(cohort: Cohort, figures: dict, links: DrillLinks) -> dict:
    """A funnel: every level counts the projects that got at least that far; 终止 is a bar of its own beside it."""
    data = [{"name": str(STAGE_LABELS[s]), "value": n, "url": links(cohort, f"reached_{s}")}
            for s, n in funnel_levels(figures["stages"])]
    dropped = figures["stages"][Stage.dropped]
    return {"tooltip": {"trigger": "item"}, "series": [
        {"type": "funnel", "sort": "descending", "left": "5%", "width": "65%", "minSize": "8%",
         "label": {"formatter": "{b}: {c}"}, "data": data},
        {"type": "funnel", "sort": "none", "left": "76%", "width": "20%", "top": "40%", "height": "20%",
         "minSize": "100%", "label": {"formatter": "{b}: {c}"}, "itemStyle": {"color": "#6c757d"},
         "data": [{"name": str(STAGE_LABELS[Stage.dropped]), "value": dropped,
                   "url": links(cohort, f"stage_{Stage.dropped}")}]}]}


def funds_chart(months: dict, year: int) -> dict:
    labels = [f"{m}月" for m in range(1, 13)]
    return {"tooltip": {"trigger": "axis"}, "legend": {}, "grid": {"left": 60, "right": 20},
            "xAxis": {"type": "category", "data": labels}, "yAxis": {"type": "value", "name": _("万元")},
            "series": [{"name": str(year), "type": "bar", "data": [float(v) for v in months[year]]},
                       {"name": str(year - 1), "type": "line", "data": [float(v) for v in months[year - 1]]}]}


def comparison_chart(rows: list, links: DrillLinks) -> dict:
    rows = rows[:15]
    def points(attr: str, metric: str, part: str):
        return [{"value": getattr(r, attr), "url": links.with_filters(metric, part, r.args) if r.args else None}
                for r in rows]

    return {"tooltip": {"trigger": "axis"}, "legend": {}, "grid": {"left": 40, "right": 20, "bottom": 80},
            "xAxis": {"type": "category", "data": [r.label for r in rows], "axisLabel": {"rotate": 30}},
            "yAxis": {"type": "value"},
            "series": [{"name": _("签约"), "type": "bar", "data": points("signed", "start_rate", "denominator")},
                       {"name": _("履约"), "type": "bar", "data": points("performing", "performance_rate",
                                                                          "numerator")},
                       {"name": _("开工"), "type": "bar", "data": points("started", "start_rate", "numerator")}]}


def trend_chart(cohort: Cohort, today: date) -> dict | None:
    scope = trend_scope(cohort)
    if scope is None:
        return None
    rows = snapshots(*scope, since=date(today.year - 2, today.month, 1))
    if not rows:
        return None
    labels = {"performance_rate": _("履约率"), "start_rate": _("开工率"), "funds_arrival_rate": _("资金到位率")}
    return {"tooltip": {"trigger": "axis"}, "legend": {}, "grid": {"left": 40, "right": 20},
            "xAxis": {"type": "category", "data": [r.month.strftime("%Y-%m") for r in rows]},
            "yAxis": {"type": "value", "name": "%"},
            "series": [{"name": labels[k], "type": "line",
                        "data": [(r.figures.get(k) or {}).get("value") for r in rows]} for k in TREND_KEYS]}


def drill_totals(cohort: Cohort, cond) -> dict:
    """Agreed investment and funds arrived summed over a drill-down list (same condition, same rows)."""
    funds = funds_by_project()
    query = (select(func.count(), sum_if(cond, Project.agreed_investment),
                    sum_if(cond, func.coalesce(funds.c.total, 0)))
             .select_from(Project).outerjoin(funds, funds.c.project_id == Project.id).where(cond))
    n, agreed, arrived = db.session.execute(scoped(query, cohort)).one()
    return {"count": int(n), "agreed_investment": money(agreed), "funds_arrived": money(arrived)}


def drill_query(metric: str, part: str, cohort: Cohort):
    """(label, condition, select) for a drill-down; None when the metric is unknown."""
    cond = condition(metric, part, cohort)
    if cond is None:
        return None
    if metric in RATES:
        label = f"{RATES[metric].label} · {_('分子') if part == 'numerator' else _('分母')}"
    else:
        label = str(COUNTS[metric][0])
    return label, cond, projects(cohort, cond)


def stage_label(stage: str) -> str:
    return str(STAGE_LABELS.get(Stage(stage), stage)) if stage in Stage.__members__ else stage
