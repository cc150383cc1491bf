"""The monthly summary: signed projects, rates and funds by park and by fair edition."""
from dataclasses import replace
from datetime import date
from decimal import Decimal

from crm.metrics.breakdown import breakdowns
from crm.metrics.cohort import Cohort
from crm.metrics.definitions import percent
from crm.reports import xlsx
from crm.reports.ledger import month_end

HEADERS = ["序号", "名称", "签约项目数", "履约项目数", "履约率（%）", "开工项目数", "开工率（%）", "协议投资额",
           "本月到位资金", "累计到位资金", "资金到位率（%）"]
WIDTHS = [6, 30, 12, 12, 12, 12, 12, 16, 14, 14, 14]


def _pct(value) -> float | None:
    return None if value is None else float(value)


def _table(found: list) -> tuple[list, list]:
    rows = [[n, r.label, r.signed, r.performing, _pct(r.performance_rate), r.started, _pct(r.start_rate),
             r.agreed, r.month_funds, r.funds, _pct(r.funds_rate)] for n, r in enumerate(found, start=1)]
    sums = [sum((r[i] for r in rows), Decimal(0) if i >= 7 else 0) for i in (2, 3, 5, 7, 8, 9)]
    signed, performing, started, agreed, in_month, to_date = sums
    totals = ["合计", "", signed, performing, _pct(percent(performing, signed)), started,
              _pct(percent(started, signed)), agreed, in_month, to_date, _pct(percent(to_date, agreed))]
    return rows, totals


def add_summary_sheets(wb, cohort: Cohort, month: date, made_on: date, scope_name: str) -> dict:
    cohort = replace(cohort, signed_from=None, signed_to=month_end(month))
    out = {}
    tables = breakdowns(cohort, ("park", "event"), until=month, month=month)
    for dimension, name in (("park", "按园区"), ("event", "按展会")):
        rows, totals = _table(tables[dimension])
        title = f"{scope_name}招商引资项目汇总表（{name}，{month.year}年{month.month}月）"
        xlsx.sheet(wb, name, title, "单位：万元；比率按签约项目计（含签约后终止项目）", HEADERS, WIDTHS, rows, totals,
                   made_on)
        out[dimension] = totals
    return out
