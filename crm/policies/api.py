"""/api/v1/policies: the library searched and read by every role, written by admins; what applies to a project."""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from crm.api.base import api_blueprint, json_body
from crm.core.db import utcnow
from crm.core.errors import APIError
from crm.core.formatting import local_today
from crm.core.pagination import page_args
from crm.core.permissions import roles_required
from crm.core.scope import get_visible_or_404
from crm.extensions import db
from crm.policies import applies, forms_api, queries, services
from crm.policies.parsing import split_clauses
from crm.policies.serialise import applicable_json, clause_json, document_json, result_json
from crm.projects.queries import project_by_id

bp = api_blueprint("policies_api", __name__)


def _today():
    return local_today(utcnow())


def _load(policy_id: int):
    document = queries.document_by_id(policy_id)
    if document is None:
        raise APIError(404, "not_found", _("没有这份政策文件。"))
    return document


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise APIError(409, "stale", _("记录已被他人修改，请刷新后重试。")) from exc


@bp.get("/policies")
def policies():
    today = _today()
    page, per_page = page_args()
    results = queries.search(queries.Filters.from_args(request.args), today, page=page, per_page=per_page)
    return jsonify({"items": [result_json(r, today) for r in results], "total": results.total, "page": page,
                    "per_page": per_page, "total_capped": False})


def _detail(document) -> dict:
    today = _today()
    return {**document_json(document, today), "clauses": [clause_json(c, today) for c in document.clauses]}


@bp.post("/policies")
@roles_required("admin")
def create():
    data = json_body()
    values = forms_api.document_values(data)
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise APIError(422, "invalid", _("缺少文件正文。"), {"text": _("必填")})
    document = services.create_document(values, split_clauses(text), actor=current_user)
    _commit()
    return jsonify(_detail(_load(document.id))), 201


@bp.get("/policies/<int:policy_id>")
def detail(policy_id: int):
    return jsonify(_detail(_load(policy_id)))


@bp.patch("/policies/<int:policy_id>")
@roles_required("admin")
def update(policy_id: int):
    document = _load(policy_id)
    data = json_body()
    if "version" in data and data["version"] != document.version:
        raise APIError(409, "stale", _("记录已被他人修改，请刷新后重试。"))
    services.update_document(document, forms_api.document_values(data, document), actor=current_user)
    _commit()
    return jsonify(_detail(_load(policy_id)))


@bp.get("/policies/<int:policy_id>/clauses")
def clauses(policy_id: int):
    today = _today()
    return jsonify({"items": [clause_json(c, today) for c in _load(policy_id).clauses]})


@bp.patch("/policies/<int:policy_id>/clauses/<int:clause_id>")
@roles_required("admin")
def update_clause(policy_id: int, clause_id: int):
    clause = next((c for c in _load(policy_id).clauses if c.id == clause_id), None)
    if clause is None:
        raise APIError(404, "not_found", _("没有这一条款。"))
    services.update_clause(clause, actor=current_user, **forms_api.clause_values(json_body()))
    _commit()
    return jsonify(clause_json(clause, _today()))


@bp.get("/projects/<int:project_id>/policies")
def project_policies(project_id: int):
    project = get_visible_or_404(db.session, project_by_id(current_user, project_id))
    today = _today()
    found = applies.for_project(project, today)
    return jsonify({"project_id": project.id, "items": [applicable_json(a, today) for a in found],
                    "applying": sum(1 for a in found if a.applies)})
