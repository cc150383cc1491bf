"""Build the exported workbooks (ledger or summary) and record each export in the audit trail."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from crm.core import audit
from crm.core.errors import ServiceError
from crm.events.models import Event
from crm.extensions import db
from crm.metrics.cohort import Cohort
from crm.parks.models import Park
from crm.reports import xlsx
from crm.reports.ledger import add_ledger_sheet
from crm.reports.summary import add_summary_sheets

KINDS = ("ledger", "summary")


def parse_month(text: str) -> date:
    try:
        year, month = (int(x) for x in str(text).strip().split("-")[:2])
        return date(year, month, 1)
    except (TypeError, ValueError) as exc:
        raise ServiceError(_("月份格式应为 YYYY-MM。"), {"month": _("月份无效")}) from exc


def scope_name(cohort: Cohort) -> str:
    parts = []
    if cohort.park:
        parts.append(db.session.scalar(select(Park.name).where(Park.code == cohort.park)) or cohort.park)
    if cohort.event_id is not None:
        name = db.session.scalar(select(Event.name).where(Event.id == cohort.event_id))
        if name is None:
            raise ServiceError(_("展会不存在。"), {"event": _("展会不存在")}, status=404)
        parts.append(name)
    return "".join(parts) or "全省"


def export_workbook(kind: str, month: date, cohort: Cohort, *, actor, made_on: date) -> tuple[bytes, str, dict]:
    """(xlsx bytes, file name, totals) of the ledger or the summary for `month`; audited as an export."""
    if kind not in KINDS:
        raise ServiceError(_("未知的报表类型。"), {"kind": _("应为 ledger 或 summary")})
    name = scope_name(cohort)
    wb = xlsx.new_workbook()
    if kind == "ledger":
        totals = add_ledger_sheet(wb, cohort, month, made_on, name)
        filename = f"项目台账-{name}-{month:%Y-%m}.xlsx"
    else:
        totals = add_summary_sheets(wb, cohort, month, made_on, name)
        filename = f"汇总表-{name}-{month:%Y-%m}.xlsx"
    audit.record("export", actor=actor, object_type=f"report_{kind}",
                 summary=f"{filename}", changes={"month": month.isoformat(), **cohort.args()})
    return xlsx.to_bytes(wb), filename, totals
