"""Recruitment-trip pages (外出招商): list, create, edit, the trip report with its visits, and xlsx export."""
from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from crm.companies import queries as company_queries
from crm.companies.exporting import logs_xlsx
from crm.companies.models import Company, ContactLog, Trip
from crm.companies.names import compact_code, looks_like_code, normalise_name
from crm.contacts import queries, services
from crm.contacts.forms import TripForm, VisitForm
from crm.core.errors import ServiceError
from crm.core.forms import show_errors
from crm.core.htmx import redirect_to, render
from crm.core.pagination import page_args, paginate
from crm.core.permissions import Role, roles_required
from crm.extensions import db

EDITORS = (Role.officer, Role.manager)


@roles_required(*EDITORS)
def trips():
    page_no, per_page = page_args(50)
    return render("contacts/trips.html", page=paginate(db.session, queries.trips(), page_no, per_page))


@roles_required(*EDITORS)
def new_trip():
    return _trip_form(None, TripForm())


@roles_required(*EDITORS)
def edit_trip(trip_id: int):
    trip = db.get_or_404(Trip, trip_id)
    return _trip_form(trip, TripForm(obj=trip))


def _trip_form(trip, form):
    if form.validate_on_submit():
        try:
            if trip is None:
                trip = services.create_trip(form.values(), actor=current_user)
            else:
                services.update_trip(trip, form.values(), actor=current_user)
            db.session.commit()
            return redirect_to(url_for("contacts.trip", trip_id=trip.id))
        except ServiceError as error:
            db.session.rollback()
            show_errors(form, error)
    return render("contacts/trip_form.html", trip=trip, form=form, status=422 if request.method == "POST" else 200)


def _trip_page(trip, form, status=200):
    return render("contacts/trip.html", trip=trip, visits=queries.trip_visits(trip), form=form, status=status)


@roles_required(*EDITORS)
def trip(trip_id: int):
    row = db.get_or_404(Trip, trip_id)
    form = VisitForm()
    form.date.data = row.start_date
    return _trip_page(row, form)


def find_company(text: str) -> Company:
    """One company by credit code, exact name or normalised name; anything else is a clear refusal."""
    visible = company_queries.visible_companies(current_user)
    if looks_like_code(text):
        found = db.session.scalars(visible.where(Company.credit_code == compact_code(text))).first()
        if found:
            return found
    found = db.session.scalars(visible.where(Company.name_norm == normalise_name(text)).limit(2)).all()
    if len(found) == 1:
        return found[0]
    message = _("找到多家同名企业，请输入信用代码。") if found else _("找不到企业“%(v)s”，请先新建该企业。", v=text)
    raise ServiceError(message, {"company": message}, status=422)


@roles_required(*EDITORS)
def add_visit(trip_id: int):
    row = db.get_or_404(Trip, trip_id)
    form = VisitForm()
    if form.validate_on_submit():
        try:
            company = find_company(form.company.data.strip())
            services.add_log(company, {"date": form.date.data, "kind": form.kind.data, "summary": form.summary.data,
                                       "next_step": form.next_step.data or "",
                                       "next_follow_up": form.next_follow_up.data}, actor=current_user, trip=row)
            db.session.commit()
            return redirect_to(url_for("contacts.trip", trip_id=row.id))
        except ServiceError as error:
            db.session.rollback()
            show_errors(form, error)
    return _trip_page(row, form, status=422)


@roles_required(*EDITORS)
def export_trip(trip_id: int):
    row = db.get_or_404(Trip, trip_id)
    query = select(ContactLog).where(ContactLog.trip_id == row.id).order_by(ContactLog.date, ContactLog.id)
    response = logs_xlsx(query, {"trip_id": row.id}, actor=current_user, title=row.title[:25])
    db.session.commit()
    return response


# (rule, endpoint, view, methods), added to the contacts blueprint by views.py
ROUTES = [
    ("/trips", "trips", trips, ["GET"]),
    ("/trips/new", "new_trip", new_trip, ["GET", "POST"]),
    ("/trips/<int:trip_id>", "trip", trip, ["GET"]),
    ("/trips/<int:trip_id>/edit", "edit_trip", edit_trip, ["GET", "POST"]),
    ("/trips/<int:trip_id>/visits", "add_visit", add_visit, ["POST"]),
    ("/trips/<int:trip_id>/export.xlsx", "export_trip", export_trip, ["GET"]),
]
