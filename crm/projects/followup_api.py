"""/api/v1 follow-up of projects: problems (read, change status, close), supervision (督办: open, close) and
the review of stage changes and funds (approve or return with a comment), through the ledger pages' services."""
from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from crm.api.base import api_blueprint, json_body
from crm.api.conditional import require_version
from crm.api.openapi import DATE, DATETIME, INTEGER, TEXT, documented, nullable, obj, schema
from crm.core.db import utcnow
from crm.core.errors import APIError
from crm.core.scope import get_visible_or_404
from crm.extensions import db
from crm.projects import followup, review
from crm.projects.api_schemas import CHANGE, FUNDS, PROBLEM
from crm.projects.models import FundsEntry, Problem, ProblemStatus, Project, StageChange, Supervision
from crm.projects.queries import visible_projects
from crm.projects.serialise import change_json, funds_json, problem_json

bp = api_blueprint("followup_api", __name__)
PROBLEM_CHANGE = schema("ProblemChange", obj({
    "status": {"type": "string", "enum": [s.value for s in ProblemStatus]}, "resolution": TEXT,
    "version": {"type": "integer", "description": "the version read (or send If-Match)"}}, ("status",)))
SUPERVISION = schema("Supervision", obj({
    "id": INTEGER, "project_id": INTEGER, "instruction": TEXT, "leader": TEXT, "owner_id": nullable("integer"),
    "due_date": DATE, "closed_at": nullable("string", format="date-time"), "closing_note": TEXT,
    "created_at": DATETIME, "version": INTEGER}, ("id", "project_id", "instruction", "version")))
SUPERVISION_INPUT = schema("SupervisionInput", obj({
    "instruction": {"type": "string", "description": "领导批示"}, "leader": TEXT, "owner_id": INTEGER,
    "due_date": {"type": ["string", "null"], "format": "date"}}, ("instruction", "owner_id")))
CLOSE_INPUT = schema("CloseInput", obj({"note": TEXT}))
DECISION = schema("ReviewDecision", obj({"decision": {"type": "string", "enum": ["approve", "return"]},
                                         "comment": {"type": "string", "description": "required to return"}},
                                        ("decision",)))
REVIEWS = schema("Reviews", obj({"stage_changes": {"type": "array", "items": CHANGE},
                                 "funds": {"type": "array", "items": FUNDS}}, ("stage_changes", "funds")))


def supervision_json(item: Supervision) -> dict:
    return {"id": item.id, "project_id": item.project_id, "instruction": item.instruction, "leader": item.leader,
            "owner_id": item.owner_id, "due_date": item.due_date.isoformat() if item.due_date else None,
            "closed_at": item.closed_at.isoformat() if item.closed_at else None, "closing_note": item.closing_note,
            "created_at": item.created_at.isoformat(), "version": item.version}


def _in_scope(model, object_id: int):
    """An object of a project the user may see; absent and out of scope look the same (404)."""
    scoped = visible_projects(current_user).with_only_columns(Project.id)
    return get_visible_or_404(db.session, select(model).where(model.id == object_id, model.project_id.in_(scoped)))


@bp.get("/problems/<int:problem_id>")
@documented(answer=PROBLEM)
def problem(problem_id: int):
    """A problem of a project in the user's scope."""
    return jsonify(problem_json(_in_scope(Problem, problem_id)))


@bp.patch("/problems/<int:problem_id>")
@documented(body=PROBLEM_CHANGE, answer=PROBLEM, errors=(409, 428))
def update_problem(problem_id: int):
    """Move a problem on (办理中) or close it (solved / cannot_solve) with its resolution; needs If-Match."""
    found = _in_scope(Problem, problem_id)
    data = json_body()
    if str(require_version(data, found)) != str(found.version):
        raise APIError(409, "stale", _("记录已被他人修改，请刷新后重试。"), {"version": _("已被他人修改")})
    if not followup.can_follow_up(current_user):
        raise APIError(403, "forbidden", _("您没有权限执行此操作。"))
    followup.update_problem(found, actor=current_user, status=str(data.get("status") or ""),
                            resolution=str(data.get("resolution") or ""), now=utcnow())
    db.session.commit()
    return jsonify(problem_json(found))


@bp.get("/projects/<int:project_id>/supervisions")
@documented(answer=obj({"items": {"type": "array", "items": SUPERVISION}}, ("items",)))
def supervisions(project_id: int):
    """A project's supervision (督办), open and closed."""
    project = get_visible_or_404(db.session, visible_projects(current_user).where(Project.id == project_id))
    items = db.session.scalars(select(Supervision).where(Supervision.project_id == project.id)
                               .order_by(Supervision.id)).all()
    return jsonify({"items": [supervision_json(i) for i in items]})


@bp.post("/projects/<int:project_id>/supervisions")
@documented(body=SUPERVISION_INPUT, answer=SUPERVISION, status=201)
def open_supervision(project_id: int):
    """Open a supervision on a project with a leader's instruction, an owner and a due date (managers)."""
    project = get_visible_or_404(db.session, visible_projects(current_user).where(Project.id == project_id))
    item = followup.open_supervision(project, actor=current_user, values=json_body(), now=utcnow())
    db.session.commit()
    return jsonify(supervision_json(item)), 201


@bp.post("/supervisions/<int:supervision_id>/close")
@documented(body=CLOSE_INPUT, answer=SUPERVISION, errors=(409,))
def close_supervision(supervision_id: int):
    """Close a supervision with a note (its owner or a manager)."""
    item = _in_scope(Supervision, supervision_id)
    followup.close_supervision(item, actor=current_user, note=str(json_body().get("note") or ""), now=utcnow())
    db.session.commit()
    return jsonify(supervision_json(item))


@bp.get("/reviews")
@documented(answer=REVIEWS)
def reviews():
    """Stage changes and funds entries waiting for review, in the user's scope."""
    scoped = visible_projects(current_user).with_only_columns(Project.id)
    changes = db.session.scalars(select(StageChange).where(StageChange.review_status == "pending",
                                                           StageChange.project_id.in_(scoped))
                                 .order_by(StageChange.id)).all()
    entries = db.session.scalars(select(FundsEntry).where(FundsEntry.review_status == "pending",
                                                          FundsEntry.project_id.in_(scoped))
                                 .order_by(FundsEntry.id)).all()
    return jsonify({"stage_changes": [change_json(c) for c in changes], "funds": [funds_json(e) for e in entries]})


def _decide(item, approve, give_back) -> None:
    data = json_body()
    decision, comment, now = data.get("decision"), str(data.get("comment") or ""), utcnow()
    if decision == "approve":
        approve(item, actor=current_user, comment=comment, now=now)
    elif decision == "return":
        give_back(item, actor=current_user, comment=comment, now=now)
    else:
        raise APIError(422, "invalid", _("decision 应为 approve 或 return。"), {"decision": _("必填")})
    db.session.commit()


@bp.post("/reviews/stage-changes/<int:change_id>")
@documented(body=DECISION, answer=CHANGE, errors=(409,))
def review_change(change_id: int):
    """Approve a stage change, or return it with a comment (managers)."""
    change = _in_scope(StageChange, change_id)
    _decide(change, review.approve_change, review.return_change)
    return jsonify(change_json(change))


@bp.post("/reviews/funds/<int:entry_id>")
@documented(body=DECISION, answer=FUNDS, errors=(409,))
def review_funds(entry_id: int):
    """Approve a funds entry, or return it with a comment (managers)."""
    entry = _in_scope(FundsEntry, entry_id)
    _decide(entry, review.approve_funds, review.return_funds)
    return jsonify(funds_json(entry))
