"""亩均 evaluation: each landed project's yearly figures, a park's yearly ranking by 亩均税收 and 亩均产值 with
classes A/B/C/D relative to the park's average (seeds/land_policy.yaml), its workbook, and a park's trend."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from crm.core import audit
from crm.core.errors import ServiceError
from crm.extensions import db
from crm.land import policy, queries, services
from crm.land.models import YearlyFigure
from crm.land.values import field_errors, integer, number
from crm.projects.models import Project

YEARLY_FIELDS = {"output_value": number, "tax": number, "energy_use": number, "employees": integer}
HEADERS = ["排名", "项目名称", "企业名称", "用地（亩）", "产值（万元）", "税收（万元）", "能耗（吨标准煤）", "从业人员",
           "亩均产值（万元/亩）", "亩均税收（万元/亩）", "分类"]
WIDTHS = [6, 32, 28, 10, 12, 12, 14, 10, 14, 14, 6]


def _year(value) -> int:
    found = integer(value)
    if found is None or not 1990 <= found <= 2100:
        raise ValueError(_("应为 1990–2100 的年份"))
    return found


def record_yearly(project: Project, *, actor, values: dict) -> YearlyFigure:
    """Enter (or correct) a project's figures for one year."""
    if not services.may_edit_park(actor, project.park_id):
        raise ServiceError(_("只有本园区的园区人员或管理员可以填报年度数据。"), status=403, code="forbidden")
    parsed, errors = field_errors({"year": _year, **YEARLY_FIELDS}, values)
    if not errors and all(parsed.get(f) is None for f in YEARLY_FIELDS):
        errors["tax"] = _("请至少填写一项")
    if errors:
        raise ServiceError(_("请检查标出的字段。"), errors, status=422)
    row = db.session.scalar(select(YearlyFigure).where(YearlyFigure.project_id == project.id,
                                                       YearlyFigure.year == parsed["year"]))
    if row is None:
        row = YearlyFigure(project_id=project.id, year=parsed["year"])
        db.session.add(row)
    for field in YEARLY_FIELDS:
        setattr(row, field, parsed[field])
    row.entered_by_id = getattr(actor, "id", None)
    audit.record("project.yearly", object_type="projects", object_id=project.id, actor=actor,
                 summary=f"{project.name} {parsed['year']} 年度数据",
                 changes={f: str(parsed[f]) for f in YEARLY_FIELDS})
    db.session.flush()
    return row


def yearly_of(project_id: int) -> list[YearlyFigure]:
    return list(db.session.scalars(select(YearlyFigure).where(YearlyFigure.project_id == project_id)
                                   .order_by(YearlyFigure.year.desc())))


@dataclass
class Ranked:
    project: Project
    figure: YearlyFigure
    land_mu: Decimal
    output_per_mu: Decimal | None
    tax_per_mu: Decimal | None
    grade: str = ""


def scheme() -> dict:
    """The classes of seeds/land_policy.yaml: ratios to the park's average, or fixed bars (relative_to: fixed)."""
    return policy.rules()["efficiency_classes"]


def _bar(rule: dict, key: str, average: Decimal | None, relative: bool) -> Decimal | None:
    """The value a project must reach for this class: average × ratio, or the rule's own minimum."""
    if relative:
        return None if average is None else average * Decimal(str(rule[f"{key}_ratio"]))
    return Decimal(str(rule[f"{key}_min"]))


def grade_of(tax: Decimal | None, output: Decimal | None, tax_avg: Decimal | None, output_avg: Decimal | None,
             classes: dict | None = None) -> str:
    """The first class whose two bars the project reaches; else the rest (D). A park without an average (no
    land or no figures) sets no relative bar."""
    classes = classes or scheme()
    relative = classes.get("relative_to", "park_average") == "park_average"
    if tax is None and output is None:
        return classes["rest"]
    for rule in classes["classes"]:
        bars = ((tax, _bar(rule, "tax", tax_avg, relative)), (output, _bar(rule, "output", output_avg, relative)))
        if all(bar is None or (value is not None and value >= bar) for value, bar in bars):
            return rule["name"]
    return classes["rest"]


@dataclass
class ParkReport:
    year: int
    rows: list[Ranked]
    land_mu: Decimal
    tax_per_mu: Decimal | None  # the park's average: its total tax over its total land
    output_per_mu: Decimal | None


def _landed(park_id: int, year: int) -> list[tuple[Project, YearlyFigure, Decimal]]:
    found = db.session.execute(select(Project, YearlyFigure).join(YearlyFigure, YearlyFigure.project_id == Project.id)
                               .where(Project.park_id == park_id, YearlyFigure.year == year)
                               .order_by(Project.id)).all()
    land = queries.land_by_project([p.id for p, _f in found])
    rows = []
    for project, figure in found:
        held = land.get(project.id, project.land_mu)
        if held:
            rows.append((project, figure, Decimal(held)))
    return rows


def park_report(park_id: int, year: int, classes: dict | None = None) -> ParkReport:
    landed = _landed(park_id, year)
    land = sum((mu for _p, _f, mu in landed), Decimal(0))
    tax = sum((f.tax or 0 for _p, f, _mu in landed), Decimal(0))
    output = sum((f.output_value or 0 for _p, f, _mu in landed), Decimal(0))
    tax_avg, output_avg = policy.per_mu(tax, land), policy.per_mu(output, land)
    rows = [Ranked(p, f, mu, policy.per_mu(f.output_value, mu), policy.per_mu(f.tax, mu)) for p, f, mu in landed]
    for row in rows:
        row.grade = grade_of(row.tax_per_mu, row.output_per_mu, tax_avg, output_avg, classes)
    rows.sort(key=lambda r: (-(r.tax_per_mu or Decimal(-1)), -(r.output_per_mu or Decimal(-1)), r.project.id))
    return ParkReport(year, rows, land, tax_avg, output_avg)


def workbook(park, report: ParkReport, made_on: date) -> bytes:
    from crm.reports import xlsx  # the shared workbook layout of the ledger

    wb = xlsx.new_workbook()
    rows = [[n, r.project.name, r.project.company.name if r.project.company else "", r.land_mu,
             r.figure.output_value, r.figure.tax, r.figure.energy_use, r.figure.employees, r.output_per_mu,
             r.tax_per_mu, r.grade] for n, r in enumerate(report.rows, start=1)]
    totals = ["合计", f"{len(rows)} 个项目", "", report.land_mu,
              sum((r.figure.output_value or 0 for r in report.rows), Decimal(0)),
              sum((r.figure.tax or 0 for r in report.rows), Decimal(0)), "", "", report.output_per_mu,
              report.tax_per_mu, ""]
    title = f"{park.name}{report.year}年度亩均效益评价"
    note = "单位：万元；分类以园区平均亩均税收、亩均产值为基准（见 seeds/land_policy.yaml）"
    xlsx.sheet(wb, "亩均评价", title, note, HEADERS, WIDTHS, rows, totals, made_on)
    return xlsx.to_bytes(wb)


def tax_trend(park_ids: list[int]) -> dict[int, list[tuple[int, Decimal | None]]]:
    """park id -> [(year, the park's 亩均税收)], oldest year first."""
    found = db.session.execute(select(Project.park_id, Project.id, Project.land_mu, YearlyFigure.year,
                                      YearlyFigure.tax)
                               .join(YearlyFigure, YearlyFigure.project_id == Project.id)
                               .where(Project.park_id.in_(park_ids))).all()
    land = queries.land_by_project(list({row.id for row in found}))
    sums: dict[tuple[int, int], list[Decimal]] = {}
    for row in found:
        held = land.get(row.id, row.land_mu)
        if held and row.tax is not None:
            totals = sums.setdefault((row.park_id, row.year), [Decimal(0), Decimal(0)])
            totals[0] += row.tax
            totals[1] += Decimal(held)
    trend: dict[int, list] = {}
    for (park_id, year), (tax, mu) in sorted(sums.items()):
        trend.setdefault(park_id, []).append((year, policy.per_mu(tax, mu)))
    return trend
