"""Reports: the ledger and summary downloads, and the report on one fair edition."""
from urllib.parse import quote

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from crm.core.db import utcnow
from crm.core.formatting import local_today
from crm.core.permissions import Role, roles_required
from crm.events.models import Event
from crm.extensions import db
from crm.metrics.dashboard import DrillLinks, stage_label
from crm.metrics.filters import parse_cohort
from crm.metrics.options import filter_options
from crm.reports import catalogue, services
from crm.reports.fair import fair_report

bp = Blueprint("reports", __name__, url_prefix="/reports")
VIEWERS = (Role.manager, Role.officer, Role.park_staff)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/")
@roles_required(*VIEWERS)
def index():
    today = local_today(utcnow())
    return render_template("reports/index.html", options=filter_options(current_user), month=f"{today:%Y-%m}",
                           fairs=catalogue.fairs_by_kind(), months=catalogue.recent_months(today))


@bp.get("/<kind>.xlsx")
@roles_required(*VIEWERS)
def download(kind: str):
    today = local_today(utcnow())
    cohort = parse_cohort(request.args, user=current_user, today=today)
    month = services.parse_month(request.args.get("month") or f"{today:%Y-%m}")
    content, filename, _totals = services.export_workbook(kind, month, cohort, actor=current_user, made_on=today)
    db.session.commit()
    return Response(content, mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename=report.xlsx; filename*=UTF-8''{quote(filename)}"})


@bp.get("/fair/<int:event_id>")
@roles_required(*VIEWERS)
def fair(event_id: int):
    event = db.get_or_404(Event, event_id)
    report = fair_report(event_id, user=current_user, today=local_today(utcnow()))
    return render_template("reports/fair.html", event=event, drill=DrillLinks(), stage_label=stage_label, **report)
