"""Company pages: the list (filters, search, export), the record page, create, edit, merge, import."""
from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from crm.companies import activity, exporting, import_views, listing, queries, services
from crm.companies.forms import CompanyForm, MergeForm, industry_choices, officer_choices
from crm.companies.models import TIERS, Company, LogKind, Ownership
from crm.companies.names import basic_norm, normalise_name
from crm.contacts.forms import LogForm
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.core.htmx import redirect_to, render
from crm.core.pagination import page_args
from crm.core.params import query_int
from crm.core.permissions import Role, has_role, roles_required
from crm.core.scope import get_visible_or_404
from crm.extensions import db
from crm.projects.stages import STAGE_LABELS

bp = Blueprint("companies", __name__, url_prefix="/companies")
EDITORS = (Role.officer, Role.manager)


def _today():
    return local_today(utcnow())


@bp.app_context_processor
def follow_up_helper():
    """The home-page card asks for its rows only when it is drawn."""
    return {"company_follow_ups": lambda: queries.follow_ups_due(current_user, today=_today()),
            "today_for_home": _today}


@bp.get("/")
@login_required
def index():
    filters = queries.parse_filters(request.args)
    page_no, per_page = page_args(50)
    page = listing.page(db.session, current_user, filters, today=_today(), page_no=page_no, per_page=per_page,
                        load=listing.list_rows, after=request.args.get("after"))
    return render("companies/index.html", "companies/_table.html", page=page, filters=filters, tiers=TIERS,
                  ownerships=[o.value for o in Ownership], industries=industry_choices()[1:],
                  officers=officer_choices()[1:], args=filters.args())


@bp.get("/suggest")
@login_required
def suggest():
    """Companies matching what is typed in a company field (htmx, as one types), read as the list reads them;
    "新建企业" is offered only once no company of that name (or former name) exists."""
    field = request.args.get("field", "company")
    typed = (request.args.get(field) or "").strip()[:200]
    page = listing.page(db.session, current_user, queries.Filters(q=typed, sort="name"), today=_today(), page_no=1,
                        per_page=8, load=listing.list_rows) if typed else None
    rows = page.items if page else []
    offer_new = (bool(typed) and has_role(current_user, *EDITORS) and len(normalise_name(typed)) >= 2
                 and not services.find_duplicates(typed) and not _is_alias_of(typed, rows))
    return render("companies/_suggest.html", field=field, typed=typed, rows=rows, offer_new=offer_new)


def _is_alias_of(typed: str, rows) -> bool:
    """Whether the text is a short name of one of the companies suggested (中石化 of 中国石油化工集团)."""
    word = f"|{basic_norm(typed)}|"
    return bool(rows) and db.session.scalar(select(func.count()).where(
        Company.id.in_([r.id for r in rows]), Company.search_words.contains(word, autoescape=True))) > 0


@bp.get("/export.xlsx")
@login_required
def export():
    filters = queries.parse_filters(request.args)
    response = exporting.companies_xlsx(queries.company_list(current_user, filters, today=_today()),
                                        filters.args(), actor=current_user)
    db.session.commit()
    return response


def _company(company_id: int) -> Company:
    return get_visible_or_404(db.session, queries.company_by_id(current_user, company_id))


def _form_error(form: CompanyForm, error: ServiceError) -> None:
    for key, message in error.fields.items():
        if hasattr(form, key) and key != "duplicate_of":
            getattr(form, key).errors = [*getattr(form, key).errors, message]


def _save(form: CompanyForm, company: Company | None):
    """Create or update from a validated form; a refused save re-renders with the reason."""
    duplicate = None
    try:
        tiers = services.parse_tiers(form.tiers.data or "")
        if company is None:
            company = services.create_company(form.values(), actor=current_user,
                                              confirm_distinct=form.confirm_distinct.data, tiers=tiers)
        else:
            services.update_company(company, form.values(), actor=current_user, version=form.version.data or None,
                                    confirm_distinct=form.confirm_distinct.data)
            services.set_tiers(company, tiers, actor=current_user, replace=True)
        db.session.commit()
        flash(_("企业信息已保存。"), "success")
        return redirect_to(url_for("companies.detail", company_id=company.id)), None
    except StaleDataError:
        db.session.rollback()
        error = ServiceError(_("该企业已被他人修改，请刷新后重试。"), status=409)
    except ServiceError as exc:
        db.session.rollback()
        error = exc
        duplicate = db.session.get(Company, exc.fields["duplicate_of"]) if "duplicate_of" in exc.fields else None
    _form_error(form, error)
    return None, (error, duplicate)


def _form_page(form, company, problem=None):
    error, duplicate = problem or (None, None)
    return render("companies/form.html", form=form, company=company, error=error, duplicate=duplicate,
                  status=error.status if error else 200)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new():
    form = CompanyForm()
    if request.method == "GET":
        form.name.data = request.args.get("name", "")
    if form.validate_on_submit():
        done, problem = _save(form, None)
        return done or _form_page(form, None, problem)
    return _form_page(form, None, (ServiceError(_("请修改标出的字段。"), status=422), None) if form.errors else None)


@bp.route("/<int:company_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(company_id: int):
    company = _company(company_id)
    form = CompanyForm()
    if request.method == "GET":
        form.fill(company)
    if form.validate_on_submit():
        done, problem = _save(form, company)
        return done or _form_page(form, company, problem)
    return _form_page(form, company, (ServiceError(_("请修改标出的字段。"), status=422), None) if form.errors else None)


@bp.get("/<int:company_id>")
@login_required
def detail(company_id: int):
    company = queries.company_for_page(current_user, company_id)
    if company is None:
        abort(404)  # absent and forbidden look the same
    if company.merged_into_id:
        flash(_("该企业已合并到另一条记录。"), "info")
        return redirect(url_for("companies.detail", company_id=company.merged_into_id))
    today = _today()
    projects = activity.company_projects(company, current_user)
    log_form = LogForm(formdata=None).for_company(company, projects=projects)
    log_form.date.data = today
    limit = _timeline_limit()
    merges = activity.merges_into(company)
    return render("companies/detail.html", company=company, log_form=log_form, timeline_limit=limit,
                  timeline_more=activity.more_limit(limit),
                  timeline=activity.timeline(company, user=current_user, limit=limit, merges=merges, projects=projects),
                  who_else=activity.who_else(company, user=current_user, today=today), merges=merges,
                  kinds=[k.value for k in LogKind], today=today, stage_labels=STAGE_LABELS,
                  can_edit=has_role(current_user, *EDITORS), can_merge=has_role(current_user, Role.manager),
                  can_new_project="projects.new" in current_app.view_functions)


def _timeline_limit() -> int:
    """How many timeline items to show: 20 at first, 20 more per "更多" click, bounded."""
    limit = query_int(request.args, "timeline", low=0, high=activity.TIMELINE_MAX) or activity.TIMELINE_STEP
    return max(limit, 1)


@bp.get("/<int:company_id>/timeline")
@login_required
def timeline(company_id: int):
    company = _company(company_id)
    limit = _timeline_limit()
    items = activity.timeline(company, user=current_user, limit=limit)
    return render("companies/_timeline.html", company=company, timeline=items, timeline_limit=limit,
                  timeline_more=activity.more_limit(limit), stage_labels=STAGE_LABELS)


@bp.route("/<int:company_id>/merge", methods=["GET", "POST"])
@roles_required(Role.manager)
def merge(company_id: int):
    kept = _company(company_id)
    form = MergeForm()
    other = db.session.get(Company, form.other_id.data) if form.other_id.data else None
    if form.validate_on_submit() and request.form.get("confirm") == "1" and other is not None:
        services.merge_companies(kept, other, actor=current_user)
        db.session.commit()
        flash(_("已将“%(a)s”合并到本记录。", a=other.name), "success")
        return redirect_to(url_for("companies.detail", company_id=kept.id))
    candidates = services.find_duplicates(kept.name, kept.credit_code, kept.former_names, exclude_id=kept.id)
    return render("companies/merge.html", company=kept, form=form, other=other, candidates=candidates)


for rule, endpoint, view, methods in import_views.ROUTES:
    bp.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=methods)
