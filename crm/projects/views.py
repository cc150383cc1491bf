"""Project pages: the filtered list, the board, the project page, the project form and stage moves."""
from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from crm.companies.models import Company
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.core.htmx import is_htmx, redirect_to, render
from crm.core.pagination import page_args, paginate_ids
from crm.core.params import query_int
from crm.core.permissions import Role, roles_required
from crm.extensions import db
from crm.land.queries import signing_warnings
from crm.projects import editing, ledger_views, listing, pages, services
from crm.projects.forms import ProjectForm
from crm.projects.models import Project
from crm.projects.queries import Filters, filtered_ids, is_late, open_problem_counts
from crm.projects.stages import STAGE_LABELS, Stage
from crm.projects.web import back_to, commit, id_url, load_project

bp = Blueprint("projects", __name__, url_prefix="/projects")
bp.register_blueprint(ledger_views.bp)
bp.add_app_template_global(is_late, "is_project_late")


@bp.app_template_global()
def projects_home():
    """Data of the home-page card (templates/projects/_home.html), computed only when it is shown."""
    return pages.home_items(current_user, utcnow())


@bp.get("/")
@login_required
def index():
    filters = Filters.from_args(request.args)
    today = local_today(utcnow())
    page = paginate_ids(db.session, filtered_ids(current_user, filters, today), listing.list_rows, *page_args())
    return render("projects/index.html", "projects/_list.html", page=page, filters=filters, today=today,
                  problems=open_problem_counts([p.id for p in page.items]), choices=pages.filter_choices(),
                  stage_names=pages.stage_names(),
                  detail_url=id_url("projects.detail", "project_id"))


@bp.get("/board")
@login_required
def board():
    columns, counts = pages.board_columns(current_user)
    moves = pages.board_moves(current_user)
    board_url = url_for("projects.board")
    move_url = {to: id_url("projects.transition", "project_id", to=to, next=board_url)
                for targets in moves.values() for to in targets}
    return render_template("projects/board.html", columns=columns, counts=counts, stage_names=pages.stage_names(),
                           today=local_today(utcnow()), moves=moves, move_url=move_url,
                           detail_url=id_url("projects.detail", "project_id"))


@bp.get("/<int:project_id>")
@login_required
def detail(project_id: int):
    project = load_project(project_id, joinedload(Project.industry), joinedload(Project.link))
    return render_template("projects/detail.html", **pages.detail_context(project, current_user, utcnow()))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.manager, Role.officer)
def new():
    form = ProjectForm()
    pages.fill_choices(form)
    company = db.session.get(Company, query_int(request.args, "company_id") or 0)
    if request.method == "GET":
        _prefill_new(form, company)
    if form.validate_on_submit():
        try:
            values = _form_values(form)
            project = editing.create_project(actor=current_user, values=values, now=utcnow())
            commit()
            flash(_("项目已创建。"), "success")
            return redirect_to(url_for("projects.detail", project_id=project.id))
        except ServiceError as error:
            db.session.rollback()
            pages.show_errors(form, error)
    return render_template("projects/form.html", form=form, project=None, company=company), 422 if form.errors else 200


def _prefill_new(form: ProjectForm, company: Company | None) -> None:
    if company is not None:
        form.company.data, form.company_id.data = company.name, str(company.id)
    code = request.args.get("park", "").strip().upper()  # ?park=CODE from the suggested-park link
    park_id = next((value for value, _label, code_ in pages.park_options() if code_ == code), None)
    if park_id:
        form.park_id.data = str(park_id)


def _form_values(form: ProjectForm) -> dict:
    data = {f: getattr(form, f).data for f in editing.EDITABLE if hasattr(form, f)}
    data["company_id"] = _resolve_company(form)
    return editing.parse_values({k: ("" if v is None else v) for k, v in data.items()})


def _resolve_company(form: ProjectForm) -> int:
    """The company named in the form: the chosen id if its name still matches, else by name or code."""
    text = (form.company.data or "").strip()
    chosen_id = query_int({"company_id": form.company_id.data}, "company_id", low=1)
    chosen = db.session.get(Company, chosen_id) if chosen_id else None
    if chosen is not None and chosen.name == text:
        return chosen.id
    found = db.session.scalars(select(Company.id).where(or_(Company.name == text, Company.credit_code == text.upper()))
                               .where(Company.merged_into_id.is_(None)).limit(2)).all()
    if len(found) != 1:
        raise ServiceError(_("找不到该企业，请先在目标企业中登记。"), {"company": _("企业不存在")}, status=422)
    return found[0]


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@roles_required(Role.manager, Role.officer)
def edit(project_id: int):
    project = load_project(project_id)
    form = ProjectForm(obj=project)
    if not isinstance(form.company.data, str):  # obj gives the Company; the field holds its name
        form.company.data = project.company.name
    pages.fill_choices(form)
    if request.method == "GET":
        pages.prefill_edit(form, project)
    if form.validate_on_submit():
        try:
            original = pages.original_of(form)
            editing.update_project(project, actor=current_user, version=form.version.data or None,
                                   values=_form_values(form), original=original, now=utcnow())
            commit()
            flash(_("已保存。"), "success")
            return back_to(project.id)
        except ServiceError as error:
            db.session.rollback()
            pages.show_errors(form, error)
            return render_template("projects/form.html", form=form, project=load_project(project_id),
                                   stale=error.status == 409), error.status
    return render_template("projects/form.html", form=form, project=project)


@bp.route("/<int:project_id>/transition", methods=["GET", "POST"])
@login_required
def transition(project_id: int):
    project = load_project(project_id)
    to = request.values.get("to", "")
    if to not in set(Stage):
        abort(404)
    error = None
    if request.method == "POST":
        facts = {k: v for k, v in request.form.items() if k in services.FACT_FIELDS}
        try:
            services.advance_stage(project, to, actor=current_user, facts=facts,
                                   comment=request.form.get("comment", ""), now=utcnow())
            commit()
            flash(_("阶段已变更为“%(s)s”。", s=STAGE_LABELS[Stage(to)]), "success")
            for warning in signing_warnings(project) if to == Stage.signed else []:
                flash(warning, "warning")
            return redirect_to(request.form.get("next") or url_for("projects.detail", project_id=project.id))
        except ServiceError as exc:
            db.session.rollback()
            project, error = load_project(project_id), exc
    context = pages.transition_context(project, to, current_user, error)
    status = 200 if error is None or is_htmx() else error.status
    return render("projects/transition.html", "projects/_transition_form.html", status=status, **context)


@bp.post("/<int:project_id>/undo")
@roles_required(Role.manager)
def undo(project_id: int):
    project = load_project(project_id)
    services.undo_last_stage(project, actor=current_user, now=utcnow())
    commit()
    flash(_("已撤销上一次阶段变更。"), "info")
    return back_to(project.id, "history")
