"""/api/v1 endpoints of the projects domain: the same queries and services as the pages."""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from crm.api.base import api_blueprint, json_body, page_json
from crm.api.conditional import require_version
from crm.api.openapi import documented
from crm.core.db import utcnow
from crm.core.errors import APIError
from crm.core.formatting import local_today
from crm.core.pagination import page_args, paginate_ids
from crm.core.params import parse_int
from crm.core.scope import get_visible_or_404
from crm.extensions import db
from crm.land.queries import project_land_json, signing_warnings
from crm.projects import api_schemas as schemas
from crm.projects import editing, followup, funds, listing, services
from crm.projects.models import FundsEntry, Problem, Project
from crm.projects.queries import (
    Filters,
    filtered_ids,
    funds_arrived,
    funds_history,
    project_by_id,
    visible_projects,
)
from crm.projects.serialise import change_json, funds_json, problem_json, project_detail, summary_row_json
from crm.projects.services import STAGE_DATE
from crm.projects.stages import Stage

bp = api_blueprint("projects_api", __name__)


def _load(project_id: int):
    return get_visible_or_404(db.session, project_by_id(current_user, project_id))


def _load_alone(project_id: int):
    """The project without its company, park, event and officer, for verbs that need none of them."""
    return get_visible_or_404(db.session, visible_projects(current_user).where(Project.id == project_id))


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError as exc:  # someone saved the same row between our read and our write
        db.session.rollback()
        raise APIError(409, "stale", _("记录已被他人修改，请刷新后重试。")) from exc


def _problems(project_id: int) -> list[Problem]:
    return db.session.scalars(select(Problem).where(Problem.project_id == project_id).order_by(Problem.id)).all()


@bp.get("/projects")
@documented(query=schemas.LIST_FILTERS, answer=schemas.SUMMARY, lists=True)
def projects():
    """Projects in the user's scope, filtered as on the project list."""
    today = local_today(utcnow())
    ids = filtered_ids(current_user, Filters.from_args(request.args), today)
    page = paginate_ids(db.session, ids, listing.summary_rows, *page_args())
    return jsonify(page_json(page, lambda row: summary_row_json(row, today)))


def _summary(project_id: int) -> dict:
    """A project's summary after a write, read as one lean row (its scope was checked when it was loaded)."""
    return summary_row_json(listing.summary_rows([project_id])[0], local_today(utcnow()))


@bp.post("/projects")
@documented(body=schemas.INPUT, answer=schemas.DETAIL, status=201)
def create():
    """Create a project (a lead) for a company in a park."""
    data = json_body()
    values = editing.parse_values(data, park_code=str(data.get("park") or ""))
    project = editing.create_project(actor=current_user, values=values, now=utcnow())
    _commit()
    return jsonify(project_detail(_load(project.id), [], utcnow())), 201


@bp.get("/projects/<int:project_id>")
@documented(answer=schemas.DETAIL)
def detail(project_id: int):
    """A project with its stage history, funds and problems."""
    project = _load(project_id)
    return jsonify({**project_detail(project, _problems(project.id), utcnow()), "land": project_land_json(project)})


@bp.patch("/projects/<int:project_id>")
@documented(body=schemas.INPUT, answer=schemas.DETAIL, errors=(409, 428))
def update(project_id: int):
    """Change a project's own fields (not its stage); needs If-Match or version."""
    project = _load(project_id)
    data = json_body()
    version = require_version(data, project)
    park_code = str(data["park"]) if data.get("park") else None
    values = editing.parse_values(data, park_code=park_code)
    sent = {f: data[f] for f in values if f in data}
    editing.update_project(project, actor=current_user, version=version, values=values,
                           original=sent, now=utcnow())
    _commit()
    return jsonify(project_detail(_load(project_id), _problems(project_id), utcnow()))


def transition_facts(to: str, data: dict) -> dict:
    """`date` is the target stage's fact date and `reason` the reason of 终止; the rest keep their names."""
    facts = {k: v for k, v in data.items() if k not in ("to", "date", "reason", "comment")}
    if to in set(Stage) and Stage(to) in STAGE_DATE and data.get("date") not in (None, ""):
        facts[STAGE_DATE[Stage(to)]] = data["date"]
    if data.get("reason"):
        facts["dropped_reason"] = data["reason"]
    return facts


@bp.post("/projects/<int:project_id>/transitions")
@documented(body=schemas.TRANSITION, answer=schemas.MOVED, status=201)
def transition(project_id: int):
    """Move a project to another stage with the facts that stage needs."""
    project = _load_alone(project_id)
    data = json_body()
    to = str(data.get("to") or "")
    change = services.advance_stage(project, to, actor=current_user, facts=transition_facts(to, data),
                                    comment=str(data.get("comment") or ""), now=utcnow())
    moved = change_json(change)  # from the flushed change: after the commit it would be read back (two queries)
    _commit()
    warnings = signing_warnings(_load(project_id)) if to == Stage.signed else []
    return jsonify({**moved, "project": _summary(project_id), "warnings": warnings}), 201


@bp.get("/projects/<int:project_id>/funds")
@documented(answer=schemas.FUNDS_LIST)
def funds_list(project_id: int):
    """A project's funds entries and the sum arrived."""
    project = _load(project_id)
    return jsonify({"items": [funds_json(e) for e in funds_history(project.id)],
                    "funds_arrived": str(funds_arrived(project.id))})


@bp.post("/projects/<int:project_id>/funds")
@documented(body=schemas.FUNDS_INPUT, answer=schemas.FUNDS, status=201)
def funds_create(project_id: int):
    """Enter funds arrived in a month, or correct an entry (corrects)."""
    project = _load(project_id)
    data = json_body()
    if data.get("corrects"):
        old = _funds_entry(project.id, data["corrects"])
        entry = funds.correct_funds(old, actor=current_user, values=data, now=utcnow())
    else:
        entry = funds.report_funds(project, actor=current_user, values=data, now=utcnow())
    _commit()
    return jsonify(funds_json(entry)), 201


def _funds_entry(project_id: int, entry_id):
    try:
        entry = db.session.get(FundsEntry, parse_int(entry_id, low=1))
    except ValueError:
        entry = None
    if entry is None or entry.project_id != project_id:
        raise APIError(404, "not_found", _("找不到要更正的记录。"))
    return entry


@bp.get("/projects/<int:project_id>/problems")
@documented(answer=schemas.PROBLEM_LIST)
def problems_list(project_id: int):
    """A project's problems."""
    project = _load(project_id)
    return jsonify({"items": [problem_json(p) for p in _problems(project.id)]})


@bp.post("/projects/<int:project_id>/problems")
@documented(body=schemas.PROBLEM_INPUT, answer=schemas.PROBLEM, status=201)
def problems_create(project_id: int):
    """Open a problem on a project."""
    project = _load(project_id)
    problem = followup.raise_problem(project, actor=current_user, values=json_body(), now=utcnow())
    _commit()
    return jsonify(problem_json(problem)), 201
