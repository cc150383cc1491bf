"""Dashboard pages: the figures, the drill-down list behind each figure, and the targets an admin sets."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.core.forms import show_errors, status_of
from crm.core.pagination import page_args, paginate
from crm.core.permissions import Role, roles_required
from crm.extensions import db
from crm.metrics import cache, services
from crm.metrics import dashboard as board
from crm.metrics.captions import cohort_caption
from crm.metrics.filters import parse_cohort
from crm.metrics.forms import TargetForm
from crm.metrics.models import Target
from crm.metrics.options import filter_options
from crm.metrics.queries import open_problems_by_project
from crm.metrics.targets import TARGET_LABELS, shown

bp = Blueprint("metrics", __name__, url_prefix="/dashboard")
VIEWERS = (Role.manager, Role.officer, Role.park_staff)


def _cohort(default_year: int | None = None):
    today = local_today(utcnow())
    return parse_cohort(request.args, user=current_user, today=today, default_year=default_year), today


@bp.get("/")
@roles_required(*VIEWERS)
def dashboard():
    # a fair's cohort is all its signings: the calendar year is the default period only when no fair is chosen
    cohort, today = _cohort(default_year=None if request.args.get("event") else local_today(utcnow()).year)
    year = (cohort.signed_to or today).year

    def render_body() -> Markup:
        links = board.DrillLinks()
        html = render_template("metrics/_figures.html", cohort=cohort, drill=links,
                               **board.build(cohort, year, today, links))
        return Markup(html)  # noqa: S704 - the output of an autoescaping template

    # links are relative to the script root and labels are in the viewer's language: both are in the key
    key = (cache.cohort_key(cohort), year, str(get_locale()), request.script_root)
    return render_template("metrics/dashboard.html", filters=cohort.args(), options=filter_options(current_user),
                           body=cache.pages.get(key, render_body))


@bp.get("/projects")
@roles_required(*VIEWERS)
def drilldown():
    cohort, _today = _cohort()
    metric, part = request.args.get("metric", ""), request.args.get("part", "")
    found = board.drill_query(metric, part, cohort)
    if found is None:
        abort(404)
    label, cond, query = found
    page = paginate(db.session, query, *page_args(), exact_count=True)
    return render_template("metrics/drilldown.html", label=label, page=page, cohort=cohort,
                           totals=board.drill_totals(cohort, cond), metric=metric, part=part,
                           problems=open_problems_by_project([p.id for p in page.items]),
                           args={**cohort.args(), "metric": metric, "part": part}, stage_label=board.stage_label,
                           caption=cohort_caption(cohort))


@bp.route("/targets", methods=["GET", "POST"])
@roles_required(Role.admin)
def targets():
    form = TargetForm(year=local_today(utcnow()).year)
    if form.validate_on_submit():
        try:
            services.save_target(form.unit.data.strip(), form.year.data, form.metric.data, form.value.data,
                                 actor=current_user, note=form.note.data or "")
            db.session.commit()
            flash(_("目标已保存。"), "success")
            return redirect(url_for("metrics.targets"))
        except ServiceError as error:
            db.session.rollback()
            show_errors(form, error)
    rows = db.session.scalars(db.select(Target).order_by(Target.year.desc(), Target.unit, Target.metric)).all()
    return (render_template("metrics/targets.html", form=form, rows=rows, labels=TARGET_LABELS, target_value=shown),
            status_of(form))


@bp.post("/targets/<int:target_id>/delete")
@roles_required(Role.admin)
def delete_target(target_id: int):
    services.delete_target(db.get_or_404(Target, target_id), actor=current_user)
    db.session.commit()
    flash(_("目标已删除。"), "success")
    return redirect(url_for("metrics.targets"))
