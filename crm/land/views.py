"""Land pages: parks with their available land, a park's carriers, a carrier's page and history, the forms
to enter, edit, move and supply a carrier."""
from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.core.htmx import redirect_to, render
from crm.core.scope import get_visible_or_404, may_see_park
from crm.extensions import db
from crm.land import dashboard, efficiency, matching, needs, pages, policy, queries, report_views, services
from crm.land.models import CarrierStatus
from crm.parks.queries import park_by_code
from crm.projects.web import commit, load_project

bp = Blueprint("land", __name__, url_prefix="/land")
bp.register_blueprint(report_views.bp)


@bp.app_template_global()
def project_land(project):
    """The land card of a project's page (templates/land/_project_card.html), computed when it is shown."""
    supplies = queries.project_supplies(project.id)
    figures = efficiency.yearly_of(project.id)
    land = queries.project_land_mu(project, supplies)
    tax_per_mu = policy.per_mu(figures[0].tax, land) if figures else None
    return {"supplies": supplies, "intensity": queries.project_intensity(project, supplies, tax_per_mu),
            "may_supply": services.may_edit_park(current_user, project.park_id), "figures": figures[:3],
            "tax_per_mu": tax_per_mu}


@bp.app_template_global()
def land_dashboard(filters: dict):
    """The dashboard's land card (templates/land/_dashboard.html): idle parcels and 亩均税收 by year."""
    return dashboard.land_card(current_user, str(filters.get("park") or ""), local_today(utcnow()))


def _park(code: str):
    """The park if its carriers are within the user's scope, else 404 (as for its projects)."""
    park = get_visible_or_404(db.session, park_by_code(code))
    if not may_see_park(current_user, park.id):
        abort(404)
    return park


def _carrier(carrier_id: int):
    return get_visible_or_404(db.session, queries.carrier_by_id(current_user, carrier_id))


@bp.get("/")
@login_required
def index():
    return render_template("land/index.html", rows=pages.park_rows(current_user), **pages.labels())


@bp.get("/idle")
@login_required
def idle_list():
    """Every idle and 可收回 parcel in the user's scope (the dashboard's card shows the first few)."""
    park = request.args.get("park", "").strip().upper()
    card = dashboard.land_card(current_user, park, local_today(utcnow()), limit=None)
    return render_template("land/idle.html", land=card)


@bp.get("/parks/<code>")
@login_required
def park(code: str):
    park = _park(code)
    filters = queries.CarrierFilters(park.id, request.args.get("kind", ""), request.args.get("status", ""))
    carriers = db.session.scalars(queries.carrier_list(current_user, filters)).all()
    return render_template("land/park.html", park=park, carriers=carriers, totals=queries.park_totals(park.id),
                           filters=filters, may_edit=services.may_edit_park(current_user, park.id), **pages.labels())


def _form(template: str, status: int = 200, **context):
    return render_template(template, fields=pages.CARRIER_FORM, **pages.labels(), **context), status


@bp.route("/parks/<code>/new", methods=["GET", "POST"])
@login_required
def new(code: str):
    park = _park(code)
    if not services.may_edit_park(current_user, park.id):
        abort(403)
    if request.method == "GET":
        return _form("land/form.html", park=park, carrier=None, values=pages.form_values(None), errors={})
    values = pages.submitted(request.form)
    try:
        carrier = services.create_carrier(park=park, actor=current_user, values=values, today=local_today(utcnow()))
        commit()
    except ServiceError as error:
        db.session.rollback()
        return _form("land/form.html", error.status, park=park, carrier=None, values=request.form, errors=error.fields,
                     message=error.message)
    flash(_("载体已登记。"), "success")
    return redirect_to(url_for("land.carrier", carrier_id=carrier.id))


@bp.get("/carriers/<int:carrier_id>")
@login_required
def carrier(carrier_id: int):
    carrier = _carrier(carrier_id)
    return render_template("land/carrier.html", carrier=carrier, history=queries.history(carrier.id),
                           supplies=queries.supplies_of_carrier(carrier.id),
                           may_edit=services.may_edit_park(current_user, carrier.park_id),
                           moves=pages.moves_for(carrier, current_user), today=local_today(utcnow()),
                           leads=_leads(carrier), **pages.labels())


def _leads(carrier) -> list:
    """Open projects whose needs the carrier fits, for a carrier on offer or lying idle."""
    if carrier.status not in (CarrierStatus.available, CarrierStatus.idle, CarrierStatus.reclaimed):
        return []
    return matching.leads_for(carrier, current_user)


@bp.route("/carriers/<int:carrier_id>/edit", methods=["GET", "POST"])
@login_required
def edit(carrier_id: int):
    carrier = _carrier(carrier_id)
    if not services.may_edit_park(current_user, carrier.park_id):
        abort(403)
    if request.method == "GET":
        return _form("land/form.html", park=carrier.park, carrier=carrier, values=pages.form_values(carrier),
                     errors={})
    values = {**pages.submitted(request.form), "kind": carrier.kind}
    try:
        services.update_carrier(carrier, actor=current_user, values=values, version=request.form.get("version"))
        commit()
    except ServiceError as error:
        db.session.rollback()
        return _form("land/form.html", error.status, park=carrier.park, carrier=_carrier(carrier_id),
                     values=request.form, errors=error.fields, message=error.message)
    flash(_("已保存。"), "success")
    return redirect_to(url_for("land.carrier", carrier_id=carrier_id))


@bp.post("/carriers/<int:carrier_id>/transition")
@login_required
def transition(carrier_id: int):
    carrier = _carrier(carrier_id)
    try:
        services.move_carrier(carrier, request.form.get("to", ""), fact_date=request.form.get("date"),
                              actor=current_user, comment=request.form.get("comment", ""))
        commit()
    except ServiceError as error:
        db.session.rollback()
        carrier = _carrier(carrier_id)
        return render_template("land/carrier.html", carrier=carrier, history=queries.history(carrier.id),
                               supplies=queries.supplies_of_carrier(carrier.id), may_edit=True,
                               moves=pages.moves_for(carrier, current_user), today=local_today(utcnow()),
                               move_error=error, values=request.form, leads=[], **pages.labels()), error.status
    flash(_("状态已变更。"), "success")
    return redirect_to(url_for("land.carrier", carrier_id=carrier_id))


@bp.route("/projects/<int:project_id>/supply", methods=["GET", "POST"])
@login_required
def supply(project_id: int):
    project = load_project(project_id)
    if not services.may_edit_park(current_user, project.park_id):
        abort(403)
    context = {"project": project, "choices": pages.supply_choices(project), "errors": {}, "values": request.form,
               "kinds": pages.labels()["kinds"]}
    if request.method == "GET":
        context["values"] = {"carrier_id": request.args.get("carrier_id", "")}
        return render_template("land/supply.html", **context)
    try:
        carrier_id = request.form.get("carrier_id", "")
        if not carrier_id.isdigit():
            raise ServiceError(_("请选择载体。"), {"carrier_id": _("必填")}, status=422)
        chosen = _carrier(int(carrier_id))
        services.supply_carrier(project, chosen, actor=current_user, values=request.form.to_dict(), now=utcnow())
        commit()
    except ServiceError as error:
        db.session.rollback()
        context.update(project=load_project(project_id), errors=error.fields, message=error.message)
        return render_template("land/supply.html", **context), error.status
    flash(_("供地已登记。"), "success")
    return redirect_to(url_for("projects.detail", project_id=project_id) + "#land")


@bp.get("/projects/<int:project_id>/matches")
@login_required
def matches(project_id: int):
    """The carriers that fit the project: fetched when the project page's land card comes into view."""
    project = load_project(project_id)
    need, found = matching.carrier_matches(project, current_user, needs.need_of(project.id))
    return render("land/matches.html", "land/_matches.html", project=project, need=need, matches=found)


@bp.route("/projects/<int:project_id>/needs", methods=["GET", "POST"])
@login_required
def need(project_id: int):
    project = load_project(project_id)
    stated = needs.need_of(project.id)
    if request.method == "GET":
        values = {name: getattr(stated, name) for name in needs.NEED_FIELDS} if stated else {"kind": "land"}
        values = {k: ("" if v is None else (f"{v.normalize():f}" if hasattr(v, "normalize") else v))
                  for k, v in values.items()}
        return render_template("land/needs.html", project=project, values=values, errors={}, uses=pages.LAND_USES)
    try:
        needs.state_need(project, actor=current_user, values=request.form.to_dict())
        commit()
    except ServiceError as error:
        db.session.rollback()
        return render_template("land/needs.html", project=load_project(project_id), values=request.form,
                               errors=error.fields, message=error.message, uses=pages.LAND_USES), error.status
    flash(_("用地需求已保存。"), "success")
    return redirect_to(url_for("projects.detail", project_id=project_id) + "#land")
