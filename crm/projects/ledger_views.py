"""Project page actions: funds, registration, problems, supervision, tasks, and the review queue."""
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.htmx import redirect_to, render
from crm.core.params import parse_int
from crm.core.permissions import Role, roles_required
from crm.extensions import db
from crm.projects import followup, funds, pages, review, services
from crm.projects.forms import FundsForm, NoteForm, ProblemForm, RegistrationForm, TaskForm
from crm.projects.models import FundsEntry, Problem, Project, ProjectTask, StageChange, Supervision
from crm.projects.queries import pending_changes, pending_funds
from crm.projects.stages import STAGE_LABELS
from crm.projects.web import back_to, commit, load_project

bp = Blueprint("ledger", __name__)


def _checked(form) -> dict:
    """CSRF and shape checked by the form; the values go to the service as plain data."""
    if not form.validate_on_submit():
        messages = "；".join(f"{getattr(form, f).label.text}：{e[0]}" for f, e in form.errors.items() if e)
        raise ServiceError(messages or _("提交的内容无效。"), status=422)
    return {k: v for k, v in form.data.items() if k not in ("csrf_token", "attachment")}


# Answers to bad input that the form itself can show: it is rendered again with the input and the errors.
SHOWN_AGAIN = (400, 413, 422)


def _submit(project: Project, name: str, form, act, done: str, anchor: str):
    """Check the form, act on its values, commit, confirm with `done`; on bad input show the form again (422)."""
    try:
        if not form.validate_on_submit():
            raise ServiceError(_("请更正标出的字段。"), status=422)
        act({k: v for k, v in form.data.items() if k not in ("csrf_token", "attachment")})
        commit()
    except ServiceError as error:
        db.session.rollback()
        if error.status not in SHOWN_AGAIN:
            raise
        pages.show_errors(form, error)
        return _action_page(load_project(project.id), name, form, status=422)
    flash(done, "success")
    return back_to(project.id, anchor)


def _action_page(project: Project, name: str, form, status: int = 200):
    action = pages.ACTION_FORMS[name]
    title = _("更正到位资金") if name == "funds" and getattr(form, "corrects", None) and form.corrects.data \
        else action.title
    fragment = f"projects/actions/_{name}.html"
    return render("projects/action_form.html", fragment, project=project, form=form, title=title,
                  fragment=fragment, status=status)


def _child(model, item_id: int):
    """A record of a project, loaded through the project's scope (404 outside it)."""
    item = db.session.get(model, item_id)
    if item is None:
        abort(404)
    load_project(item.project_id)
    return item


@bp.post("/<int:project_id>/funds")
@login_required
def add_funds(project_id: int):
    project = load_project(project_id)

    def act(values):
        name = funds.store_attachment(request.files.get("attachment"), current_app.config["UPLOAD_FOLDER"])
        if values.get("corrects"):
            try:
                old = _child(FundsEntry, parse_int(values["corrects"], low=1))
            except ValueError:
                abort(404)
            funds.correct_funds(old, actor=current_user, values=values, attachment=name, now=utcnow())
        else:
            funds.report_funds(project, actor=current_user, values=values, attachment=name, now=utcnow())

    return _submit(project, "funds", FundsForm(), act, _("到位资金已保存。"), "funds")


@bp.get("/funds/<int:entry_id>/attachment")
@login_required
def funds_attachment(entry_id: int):
    entry = _child(FundsEntry, entry_id)
    if not entry.attachment:
        abort(404)
    return send_from_directory(Path(current_app.config["UPLOAD_FOLDER"]), entry.attachment, as_attachment=True)


@bp.post("/<int:project_id>/registration")
@login_required
def registration(project_id: int):
    project = load_project(project_id)

    def act(values):
        services.record_registration(project, actor=current_user, registered_date=values["registered_date"],
                                     local_credit_code=values["local_credit_code"], now=utcnow())

    return _submit(project, "registration", RegistrationForm(), act, _("注册落地已登记。"), "")


@bp.post("/<int:project_id>/problems")
@login_required
def add_problem(project_id: int):
    project = load_project(project_id)

    def act(values):
        followup.raise_problem(project, actor=current_user, values=values, now=utcnow())

    return _submit(project, "problems", ProblemForm(), act, _("问题已提出。"), "problems")


@bp.post("/problems/<int:problem_id>/status")
@login_required
def problem_status(problem_id: int):
    problem = _child(Problem, problem_id)
    values = _checked(NoteForm())
    followup.update_problem(problem, actor=current_user, status=values["status"], resolution=values["comment"],
                            now=utcnow())
    commit()
    flash(_("问题状态已更新。"), "success")
    return back_to(problem.project_id, "problems")


@bp.get(f"/<int:project_id>/<any({', '.join(pages.ACTION_FORMS)}):name>/new")
@login_required
def action_form(project_id: int, name: str):
    """One of the project page's action forms (pages.ACTION_FORMS), built when the user asks for it: swapped into
    the project page by htmx, or opened as a page of its own."""
    project = load_project(project_id)
    action = pages.ACTION_FORMS[name]
    if not action.may_send(current_user):
        abort(403)
    if not action.applies(project):
        raise ServiceError(_("该项目当前不适用此项。"), status=409)
    return _action_page(project, name, action.build())


@bp.post("/<int:project_id>/supervisions")
@roles_required(Role.manager)
def add_supervision(project_id: int):
    project = load_project(project_id)
    form = pages.supervision_form()

    def act(values):
        followup.open_supervision(project, actor=current_user, values=values, now=utcnow())

    return _submit(project, "supervisions", form, act, _("督办已发起。"), "supervision")


@bp.post("/supervisions/<int:item_id>/close")
@login_required
def close_supervision(item_id: int):
    item = _child(Supervision, item_id)
    followup.close_supervision(item, actor=current_user, note=_checked(NoteForm())["comment"], now=utcnow())
    commit()
    flash(_("督办已办结。"), "success")
    return back_to(item.project_id, "supervision")


@bp.post("/<int:project_id>/tasks")
@login_required
def add_task(project_id: int):
    project = load_project(project_id)

    def act(values):
        followup.add_task(project, actor=current_user, values=values)

    return _submit(project, "tasks", TaskForm(), act, _("已添加到清单。"), "tasks")


@bp.post("/tasks/<int:task_id>/toggle")
@login_required
def toggle_task(task_id: int):
    task = _child(ProjectTask, task_id)
    _checked(NoteForm())
    followup.toggle_task(task, actor=current_user)
    commit()
    flash(_("已标记为完成。") if task.done else _("已重新打开。"), "success")
    return back_to(task.project_id, "tasks")


@bp.get("/review")
@roles_required(Role.manager)
def pending():
    changes = db.session.scalars(pending_changes(current_user).limit(500)).all()
    entries = db.session.scalars(pending_funds(current_user).limit(500)).all()
    ids = {c.project_id for c in changes}
    projects = {p.id: p for p in db.session.scalars(select(Project).where(Project.id.in_(ids)))} if ids else {}
    return render_template("projects/review.html", changes=changes, entries=entries, form=NoteForm(),
                           stages=STAGE_LABELS, projects=projects)


@bp.post("/review/<kind>/<int:item_id>/<decision>")
@roles_required(Role.manager)
def decide(kind: str, item_id: int, decision: str):
    verbs = {("stage", "approve"): review.approve_change, ("stage", "return"): review.return_change,
             ("funds", "approve"): review.approve_funds, ("funds", "return"): review.return_funds}
    if (kind, decision) not in verbs:
        abort(404)
    item = _child(StageChange if kind == "stage" else FundsEntry, item_id)
    verbs[(kind, decision)](item, actor=current_user, comment=_checked(NoteForm())["comment"], now=utcnow())
    commit()
    flash(_("已审核。") if decision == "approve" else _("已退回。"), "info")
    return redirect_to(url_for("projects.ledger.pending"))
