"""/api/v1/tokens and /api/v1/users: personal access tokens (each user their own, admins everyone's) and the
accounts (admins), through the same services as the profile and user pages."""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from crm.api.base import api_blueprint, field_str, json_body, paginated
from crm.api.openapi import DATETIME, INTEGER, TEXT, documented, nullable, obj, schema
from crm.api.scopes import known_resources
from crm.auth import services
from crm.auth.models import ApiToken, User
from crm.core.db import utcnow
from crm.core.errors import APIError
from crm.core.permissions import Role
from crm.extensions import db

bp = api_blueprint("auth_api", __name__)
TOKEN = schema("Token", obj({
    "id": INTEGER, "user": TEXT, "name": TEXT, "prefix": TEXT, "access": {"type": "string", "enum": ["read", "write"]},
    "resources": {"type": "array", "items": TEXT, "description": "empty: every resource"},
    "created_at": DATETIME, "expires_at": nullable("string", format="date-time"),
    "last_used_at": nullable("string", format="date-time"), "revoked_at": nullable("string", format="date-time"),
    "token": {"type": "string", "description": "the secret, in the answer of its creation only"}},
    ("id", "name", "prefix", "access", "resources", "created_at")))
TOKEN_INPUT = schema("TokenInput", obj({
    "name": TEXT, "access": {"type": "string", "enum": ["read", "write"], "default": "write"},
    "resources": {"type": "array", "items": TEXT}, "days": {"type": "integer", "default": services.TOKEN_DAYS},
    "user_id": {"type": "integer", "description": "admins: a token for another user"}}, ("name",)))
USER = schema("User", obj({
    "id": INTEGER, "username": TEXT, "name": TEXT, "role": TEXT, "parks": {"type": "array", "items": TEXT},
    "active": {"type": "boolean"}, "unit": TEXT, "email": TEXT,
    "last_login_at": nullable("string", format="date-time")}, ("id", "username", "role", "parks", "active")))


def _time(value):
    return value.isoformat() if value else None


def token_json(token: ApiToken) -> dict:
    return {"id": token.id, "user": token.user.username, "name": token.name, "prefix": token.prefix,
            "access": token.access, "resources": [r for r in token.resources.split(",") if r],
            "created_at": _time(token.created_at), "expires_at": _time(token.expires_at),
            "last_used_at": _time(token.last_used_at), "revoked_at": _time(token.revoked_at)}


def user_json(user: User) -> dict:
    return {"id": user.id, "username": user.username, "name": user.name, "role": user.role,
            "parks": [p.code for p in user.parks], "active": user.active, "unit": user.unit, "email": user.email,
            "last_login_at": _time(user.last_login_at)}


def _admin() -> None:
    if current_user.role != Role.admin:
        raise APIError(403, "forbidden", _("您没有权限执行此操作。"))


@bp.get("/tokens")
@documented(query={"all": (TEXT, "admins: 1 for every user's tokens")}, answer=TOKEN, lists=True)
def tokens():
    """The tokens of the token's user (admins: everyone's with all=1), newest first."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if not (request.args.get("all") == "1" and current_user.role == Role.admin):
        query = query.where(ApiToken.user_id == current_user.id)
    return paginated(query, token_json)


@bp.post("/tokens")
@documented(body=TOKEN_INPUT, answer=TOKEN, status=201)
def create_token():
    """Issue a token; its secret is in this answer and never again."""
    data = json_body()
    owner = current_user
    if data.get("user_id") not in (None, "", current_user.id):
        _admin()
        owner = db.session.get(User, data["user_id"]) if isinstance(data["user_id"], int) else None
        if owner is None:
            raise APIError(422, "invalid", _("用户不存在。"), {"user_id": _("不存在")})
    resources = data.get("resources") or []
    if not isinstance(resources, list) or any(r not in known_resources() for r in resources):
        raise APIError(422, "invalid", _("资源应为：%(r)s", r="、".join(known_resources())),
                       {"resources": _("资源名称无效")})
    token, raw = services.create_token(owner, field_str(data, "name", 80, required=True), actor=current_user,
                                       access=str(data.get("access") or "write"), resources=resources,
                                       days=data.get("days") or services.TOKEN_DAYS, now=utcnow())
    db.session.commit()
    return jsonify({**token_json(token), "token": raw}), 201


@bp.delete("/tokens/<int:token_id>")
@documented(status=204)
def revoke_token(token_id: int):
    """Revoke a token (one's own; admins any): it stops working at once and stays listed."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != current_user.id and current_user.role != Role.admin):
        raise APIError(404, "not_found", _("找不到该令牌。"))
    if token.revoked_at is None:
        services.revoke_token(token, now=utcnow(), actor=current_user)
        db.session.commit()
    return "", 204


@bp.get("/users")
@documented(query={"role": (TEXT, "role"), "active": (TEXT, "1 or 0")}, answer=USER, lists=True)
def users():
    """Every account (admins)."""
    _admin()
    query = select(User).order_by(User.username)
    if request.args.get("role"):
        query = query.where(User.role == request.args["role"])
    if request.args.get("active") in ("0", "1"):
        query = query.where(User.active.is_(request.args["active"] == "1"))
    return paginated(query, user_json)


@bp.get("/users/<int:user_id>")
@documented(answer=USER)
def user(user_id: int):
    """One account (admins)."""
    _admin()
    found = db.session.get(User, user_id)
    if found is None:
        raise APIError(404, "not_found", _("找不到该用户。"))
    return jsonify(user_json(found))
