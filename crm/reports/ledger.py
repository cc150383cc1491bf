"""The project ledger (台账): one row a signed project, with funds this month and to date."""
from calendar import monthrange
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from crm.extensions import db
from crm.land.policy import per_mu
from crm.land.queries import land_by_project
from crm.metrics.cohort import Cohort, scoped, signed_cohort
from crm.metrics.dashboard import stage_label
from crm.metrics.definitions import funds_by_project, percent
from crm.metrics.figures import money
from crm.metrics.queries import open_problems_by_project
from crm.projects.models import Project
from crm.reports import xlsx

HEADERS = ["序号", "企业名称", "项目内容", "园区", "协议投资额", "签约日期", "项目阶段", "开工日期", "本月到位资金",
           "累计到位资金", "资金到位率（%）", "包联领导", "责任单位", "存在问题", "用地（亩）", "投资强度（万元/亩）"]
WIDTHS = [6, 28, 36, 18, 14, 12, 10, 12, 14, 14, 12, 12, 18, 36, 12, 14]


def month_end(month: date) -> date:
    return month.replace(day=monthrange(month.year, month.month)[1])


def ledger_rows(cohort: Cohort, month: date) -> list[tuple]:
    """(project, funds this month, funds to date) of projects signed by the end of `month`."""
    cohort = replace(cohort, signed_from=None, signed_to=month_end(month))
    to_date, this_month = funds_by_project(until=month), funds_by_project(month=month)
    query = (select(Project, func.coalesce(this_month.c.total, 0), func.coalesce(to_date.c.total, 0))
             .outerjoin(to_date, to_date.c.project_id == Project.id)
             .outerjoin(this_month, this_month.c.project_id == Project.id)
             .where(signed_cohort(cohort))
             .options(joinedload(Project.company), joinedload(Project.park))
             .order_by(Project.park_id, Project.signed_date, Project.id))
    return [(p, money(m), money(t)) for p, m, t in db.session.execute(scoped(query, cohort)).unique().all()]


def _land_cells(project: Project, supplied: dict) -> list:
    """用地 (the parcels supplied, else the 亩 the project states) and 投资强度 on it, as numbers."""
    land = supplied.get(project.id, project.land_mu)
    intensity = per_mu(project.fixed_asset_investment, land)
    return [None if land is None else money(land), intensity]


def add_ledger_sheet(wb, cohort: Cohort, month: date, made_on: date, scope_name: str):
    found = ledger_rows(cohort, month)
    problems = open_problems_by_project([p.id for p, _m, _t in found])
    supplied = land_by_project([p.id for p, _m, _t in found])
    rows = []
    for n, (p, in_month, to_date) in enumerate(found, start=1):
        agreed = p.agreed_investment or Decimal(0)
        rate = percent(to_date, agreed)
        rows.append([n, p.company.name, p.content or p.name, p.park.name, money(agreed), p.signed_date,
                     stage_label(p.counted_stage), p.started_date, in_month, to_date,
                     None if rate is None else float(rate), p.contact_leader, p.responsible_unit,
                     "；".join(q.description for q in problems.get(p.id, [])), *_land_cells(p, supplied)])
    agreed_total = sum((r[4] for r in rows), Decimal(0))
    month_total = sum((r[8] for r in rows), Decimal(0))
    to_date_total = sum((r[9] for r in rows), Decimal(0))
    total_rate = percent(to_date_total, agreed_total)
    totals = ["合计", f"{len(rows)} 个项目", "", "", agreed_total, "", "", "", month_total, to_date_total,
              None if total_rate is None else float(total_rate), "", "", "", "", ""]
    title = f"{scope_name}招商引资项目台账（{month.year}年{month.month}月）"
    xlsx.sheet(wb, "项目台账", title, "单位：万元", HEADERS, WIDTHS, rows, totals, made_on)
    return {"projects": len(rows), "agreed_investment": agreed_total, "funds_month": month_total,
            "funds_to_date": to_date_total}
