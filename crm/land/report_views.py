"""The 亩均 pages: a park's yearly ranking and its workbook; a project's yearly figures form."""
from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.core import audit
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.core.htmx import redirect_to
from crm.core.scope import get_visible_or_404, may_see_park
from crm.extensions import db
from crm.land import efficiency, services
from crm.parks.queries import park_by_code
from crm.projects.web import commit, load_project

bp = Blueprint("reports", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _park(code: str):
    park = get_visible_or_404(db.session, park_by_code(code))
    if not may_see_park(current_user, park.id):
        abort(404)
    return park


def _year() -> int:
    default = local_today(utcnow()).year - 1  # last year's figures are the ones complete
    value = request.args.get("year", default, type=int)
    return value if 1990 <= value <= 2100 else default


@bp.get("/parks/<code>/efficiency")
@login_required
def efficiency_page(code: str):
    park, year = _park(code), _year()
    return render_template("land/efficiency.html", park=park, report=efficiency.park_report(park.id, year))


@bp.get("/parks/<code>/efficiency.xlsx")
@login_required
def efficiency_workbook(code: str):
    park, year = _park(code), _year()
    today = local_today(utcnow())
    content = efficiency.workbook(park, efficiency.park_report(park.id, year), today)
    audit.record("export", actor=current_user, object_type="parks", object_id=park.id,
                 summary=f"{park.name}{year}年度亩均效益评价")
    db.session.commit()
    filename = f"{park.name}{year}年度亩均效益评价.xlsx"
    return Response(content, mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename=efficiency.xlsx; filename*=UTF-8''{quote(filename)}"})


@bp.route("/projects/<int:project_id>/yearly", methods=["GET", "POST"])
@login_required
def yearly(project_id: int):
    project = load_project(project_id)
    if not services.may_edit_park(current_user, project.park_id):
        abort(403)
    context = {"project": project, "figures": efficiency.yearly_of(project.id), "errors": {},
               "values": request.form if request.method == "POST" else {"year": str(_year())}}
    if request.method == "GET":
        return render_template("land/yearly.html", **context)
    try:
        efficiency.record_yearly(project, actor=current_user, values=request.form.to_dict())
        commit()
    except ServiceError as error:
        db.session.rollback()
        context.update(project=load_project(project_id), errors=error.fields, message=error.message)
        return render_template("land/yearly.html", **context), error.status
    flash(_("年度数据已保存。"), "success")
    return redirect_to(url_for("projects.detail", project_id=project_id) + "#land")
