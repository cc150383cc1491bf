"""Policy pages: the library with search, a document with its clauses, what applies to a project or company."""
from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from crm.companies import activity
from crm.companies import queries as company_queries
from crm.core.audit import AuditEntry
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.core.htmx import render
from crm.core.pagination import page_args
from crm.core.permissions import Role, roles_required
from crm.extensions import db
from crm.parks.models import Park
from crm.policies import applies, queries, services
from crm.policies.conditions import Facts
from crm.policies.forms import ClauseForm, DocumentForm, split_codes
from crm.policies.models import LEVEL_LABELS, STATUS_LABELS, TAGS, PolicyDocument
from crm.policies.sheet import project_sheet
from crm.projects.models import Project
from crm.projects.web import commit, load_project

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

bp = Blueprint("policies", __name__, url_prefix="/policies")


def _today():
    return local_today(utcnow())


@bp.get("/")
@login_required
def index():
    filters = queries.Filters.from_args(request.args)
    page, per_page = page_args(20)
    results = queries.search(filters, _today(), page=page, per_page=per_page)
    parks = db.session.execute(select(Park.code, Park.name).order_by(Park.id)).all()
    return render("policies/index.html", "policies/_results.html", results=results, total=results.total,
                  page=page, per_page=per_page, filters=filters,
                  today=_today(), parks=parks, tags=TAGS, levels=LEVEL_LABELS, statuses=STATUS_LABELS)


def history(document) -> list[AuditEntry]:
    clause_ids = [c.id for c in document.clauses]
    query = select(AuditEntry).where(
        ((AuditEntry.object_type == "policy_documents") & (AuditEntry.object_id == document.id))
        | ((AuditEntry.object_type == "policy_clauses") & AuditEntry.object_id.in_(clause_ids)))
    return db.session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(50)).all()


@bp.get("/<int:policy_id>")
@login_required
def detail(policy_id: int):
    document = queries.document_by_id(policy_id)
    if document is None:
        abort(404)
    return render("policies/detail.html", document=document, today=_today(), history=history(document),
                  levels=LEVEL_LABELS, statuses=STATUS_LABELS)


@bp.get("/clause/<anchor>")
@login_required
def clause(anchor: str):
    """Where a rule's warning links to: the clause it cites, in its document."""
    found = queries.clause_by_anchor(anchor)
    if found is None:
        abort(404)
    return redirect(url_for("policies.detail", policy_id=found.document_id, _anchor=f"clause-{found.id}"))


@bp.get("/projects/<int:project_id>")
@login_required
def for_project(project_id: int):
    project = load_project(project_id)  # with its company, park and industry
    return render("policies/project.html", "policies/_applicable.html", project=project,
                  items=applies.for_project(project, _today()))


@bp.get("/companies/<int:company_id>")
@login_required
def for_company(company_id: int):
    """Per project of the company the user may see, the clauses that apply to it."""
    company = company_queries.company_for_page(current_user, company_id)
    if company is None:
        abort(404)
    visible = [row.id for row in activity.company_projects(company, current_user)]
    projects = db.session.scalars(select(Project).where(Project.id.in_(visible)).order_by(Project.id.desc())).all()
    today = _today()
    rows = [(p, [a for a in applies.for_project(p, today) if a.applies]) for p in projects]
    return render("policies/company.html", "policies/_company.html", company=company, rows=rows)


@bp.get("/parks/<code>")
@login_required
def for_park(code: str):
    """For a matching result: what the documents covering the park offer a company (by its tiers and industry)."""
    park = db.session.scalar(select(Park).where(Park.code == code))
    if park is None:
        abort(404)
    company = None
    if request.args.get("company", type=int):
        company = company_queries.company_for_page(current_user, request.args.get("company", type=int))
    facts = Facts(tiers=tuple(t.tier for t in company.tiers) if company else (),
                  industry=company.industry.name if company and company.industry else "")
    items = applies.for_facts(park.code, facts, _today())
    return render("policies/park.html", "policies/_applicable.html", park=park, company=company, items=items)




@bp.get("/projects/<int:project_id>/sheet.docx")
@login_required
def sheet(project_id: int):
    project = load_project(project_id)  # with its company, park and industry
    today = _today()
    content = project_sheet(project, applies.for_project(project, today), today)
    response = make_response(content)
    response.headers["Content-Type"] = DOCX
    response.headers["Content-Disposition"] = f"attachment; filename=policies-{project.id}.docx"
    return response


def _load(policy_id: int):
    document = queries.document_by_id(policy_id)
    if document is None:
        abort(404)
    return document


def _document_form(document) -> DocumentForm:
    if request.method == "POST":
        return DocumentForm()
    return DocumentForm(obj=document, replaced_by=document.replaced_by.key if document.replaced_by else "",
                        regions="、".join(document.regions), parks="、".join(document.parks),
                        industries="、".join(document.industries))


def _replacement(form: DocumentForm):
    key = (form.replaced_by.data or "").strip()
    if not key:
        return None
    found = db.session.scalar(select(PolicyDocument).where(PolicyDocument.key == key))
    if found is None:
        form.replaced_by.errors = [*form.replaced_by.errors, _("库中没有这一简称的文件")]
    return found


def _form_values(form: DocumentForm, document, replacement) -> services.DocumentValues:
    return services.DocumentValues(
        key=form.key.data, title=form.title.data, issuer=form.issuer.data or "", number=form.number.data or "",
        level=form.level.data, year=form.year.data, issued_on=form.issued_on.data,
        effective_on=form.effective_on.data, expires_on=form.expires_on.data, status=form.status.data,
        replaced_by_id=replacement.id if replacement else None, regions=split_codes(form.regions.data),
        parks=split_codes(form.parks.data), industries=split_codes(form.industries.data),
        source=document.source, notes=form.notes.data or "")


def _save(document, form: DocumentForm) -> bool:
    """Validate and save; False with the errors beside their fields (nothing saved) otherwise."""
    valid = form.validate()
    replacement = _replacement(form)
    if not valid or form.replaced_by.errors:
        return False
    try:
        services.update_document(document, _form_values(form, document, replacement), actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        field = next(iter(error.fields), "key")
        form[field if field in form else "key"].errors = [error.message]
        return False
    commit()
    return True


@bp.route("/<int:policy_id>/edit", methods=["GET", "POST"])
@roles_required(Role.admin)
def edit(policy_id: int):
    document = _load(policy_id)
    form = _document_form(document)
    if request.method == "POST" and _save(document, form):
        flash(_("政策文件已保存。"), "success")
        return redirect(url_for("policies.detail", policy_id=document.id))
    status = 422 if request.method == "POST" else 200
    return render_template("policies/form.html", form=form, document=document), status


@bp.route("/<int:policy_id>/clauses/<int:clause_id>/edit", methods=["GET", "POST"])
@roles_required(Role.admin)
def edit_clause(policy_id: int, clause_id: int):
    document = _load(policy_id)
    clause = next((c for c in document.clauses if c.id == clause_id), None)
    if clause is None:
        abort(404)
    form = ClauseForm() if request.method == "POST" else ClauseForm(obj=clause)
    if request.method == "POST" and form.validate():
        services.update_clause(clause, actor=current_user, heading=form.heading.data or "", text=form.text.data,
                               tags=form.tags.data)
        commit()
        flash(_("条款已保存。"), "success")
        return redirect(url_for("policies.detail", policy_id=document.id, _anchor=f"clause-{clause.id}"))
    status = 422 if request.method == "POST" else 200
    return render_template("policies/clause_form.html", form=form, document=document, clause=clause), status


@bp.app_template_global()
def policy_clause(anchor: str) -> dict | None:
    """What a warning citing this anchor shows: the clause's citation, its link, and whether it is expired.
    The anchored clauses are read once per request."""
    if not anchor:
        return None
    if "policy_anchors" not in g:
        g.policy_anchors = queries.anchored_clauses()
    clause = g.policy_anchors.get(anchor)
    if clause is None:
        return None
    return {"citation": clause.citation, "expired": clause.document.expired(_today()),
            "url": url_for("policies.clause", anchor=anchor)}
