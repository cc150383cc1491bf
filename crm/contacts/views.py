"""Contact and contact-log pages (trips live in trip_views): list, export, add from the company page."""
from flask import Blueprint, abort, request, url_for
from flask_login import current_user, login_required

from crm.companies import activity
from crm.companies import queries as company_queries
from crm.companies.exporting import logs_xlsx
from crm.companies.models import Company, Contact, LogKind
from crm.contacts import queries, services, trip_views
from crm.contacts.forms import ContactForm, LogForm
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.core.htmx import redirect_to, render
from crm.core.pagination import page_args, paginate
from crm.core.permissions import Role, roles_required
from crm.core.scope import get_visible_or_404
from crm.extensions import db

bp = Blueprint("contacts", __name__, url_prefix="/contacts")
EDITORS = (Role.officer, Role.manager)


def _today():
    return local_today(utcnow())


def _company(company_id: int) -> Company:
    company = get_visible_or_404(db.session, company_queries.company_by_id(current_user, company_id))
    if company.merged_into_id:
        abort(404)
    return company


def _refused(form, error: ServiceError) -> None:
    for key, message in error.fields.items():
        if hasattr(form, key):
            getattr(form, key).errors = [*getattr(form, key).errors, message]
    form.form_errors.append(error.message)


@bp.get("/")
@login_required
def index():
    return redirect_to(url_for("contacts.logs"))


@bp.get("/logs")
@login_required
def logs():
    filters = queries.parse_log_filters(request.args)
    page_no, per_page = page_args(50)
    page = paginate(db.session, queries.log_list(current_user, filters, today=_today()), page_no, per_page)
    return render("contacts/logs.html", "contacts/_log_table.html", page=page, filters=filters,
                  args=filters.args(), kinds=[k.value for k in LogKind])


@bp.get("/logs/export.xlsx")
@login_required
def export_logs():
    filters = queries.parse_log_filters(request.args)
    response = logs_xlsx(queries.log_list(current_user, filters, today=_today()), filters.args(), actor=current_user)
    db.session.commit()
    return response


def _log_page(company, form, status=200):
    who_else = activity.who_else(company, user=current_user, today=_today(), exclude_user_id=current_user.id)
    return render("contacts/log_new.html", "contacts/_log_form.html", company=company, log_form=form,
                  who_else=who_else, status=status)


@bp.route("/companies/<int:company_id>/logs/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_log(company_id: int):
    """The page (with who-else) and the short form of the company page both post here."""
    company = _company(company_id)
    form = LogForm().for_company(company)
    if request.method == "GET":
        form.date.data = _today()
    if form.validate_on_submit():
        try:
            services.add_log(company, form.values(), actor=current_user)
            db.session.commit()
            return redirect_to(url_for("companies.detail", company_id=company.id))
        except ServiceError as error:
            db.session.rollback()
            _refused(form, error)
    return _log_page(company, form, 422 if request.method == "POST" else 200)


@bp.route("/logs/<int:log_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_log(log_id: int):
    log = get_visible_or_404(db.session, queries.log_by_id(current_user, log_id))
    if not services.can_edit_log(current_user, log):
        abort(403)
    form = LogForm(obj=log).for_company(log.company)
    if request.method == "GET":
        form.contact_ids.data = [c.id for c in log.contacts]
        form.project_id.data = log.project_id or 0
    if form.validate_on_submit():
        try:
            services.update_log(log, form.values(), actor=current_user)
            db.session.commit()
            return redirect_to(url_for("companies.detail", company_id=log.company_id))
        except ServiceError as error:
            db.session.rollback()
            _refused(form, error)
    return render("contacts/log_edit.html", log=log, log_form=form,
                  status=422 if request.method == "POST" else 200)


@bp.route("/companies/<int:company_id>/contacts/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_contact(company_id: int):
    company = _company(company_id)
    return _contact_form(company, None, ContactForm())


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_contact(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    company = _company(contact.company_id)
    return _contact_form(company, contact, ContactForm(obj=contact))


def _contact_form(company, contact, form):
    if form.validate_on_submit():
        try:
            if contact is None:
                services.add_contact(company, form.values(), actor=current_user)
            else:
                services.update_contact(contact, form.values(), actor=current_user)
            db.session.commit()
            return redirect_to(url_for("companies.detail", company_id=company.id))
        except ServiceError as error:
            db.session.rollback()
            _refused(form, error)
    return render("contacts/contact_form.html", company=company, contact=contact, form=form,
                  status=422 if request.method == "POST" else 200)


@bp.post("/<int:contact_id>/delete")
@roles_required(*EDITORS)
def delete_contact(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    company = _company(contact.company_id)
    services.delete_contact(contact, actor=current_user)
    db.session.commit()
    return redirect_to(url_for("companies.detail", company_id=company.id))


for rule, endpoint, view, methods in trip_views.ROUTES:
    bp.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=methods)
