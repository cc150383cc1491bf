"""Build domain API blueprints that accept only personal access tokens and answer only JSON."""
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from crm.api import conditional, idempotency, scopes
from crm.core.errors import APIError
from crm.core.formatting import parse_money
from crm.core.pagination import Page, page_args, paginate
from crm.extensions import csrf, db

PREFIX = "/api/v1"


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /api/v1 whose every request must carry `Authorization: Bearer <token>`.

    Cookies are not accepted here, so the API needs no CSRF token and a page cannot be abused
    to call it on a signed-in user's behalf. Every such blueprint gets the API's common rules: ETag and
    If-Match (crm.api.conditional), Idempotency-Key on POSTs (crm.api.idempotency), problem+json errors.
    """
    bp = Blueprint(name, import_name, url_prefix=PREFIX)
    csrf.exempt(bp)

    @bp.before_request
    def require_token():
        if not current_user.is_authenticated or not g.get("token_auth"):
            raise APIError(401, "unauthorized", _("需要有效的访问令牌（Authorization: Bearer …）。"))

    bp.before_request(scopes.check_scope)
    bp.before_request(scopes.check_rate)
    bp.after_request(scopes.add_retry_after)
    bp.before_request(conditional.check_preconditions)
    bp.before_request(idempotency.replay_or_claim)
    bp.after_request(idempotency.keep_answer)
    bp.after_request(conditional.add_etag)

    @bp.after_request
    def no_store(response):
        # private data: never kept by a shared cache; the client may keep it and revalidate with its ETag
        response.headers["Cache-Control"] = "private, no-cache"
        return response

    return bp


def json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise APIError(400, "invalid_json", _("请求体必须是 JSON 对象。"))
    return data


def page_json(page: Page, serialise) -> dict:
    """A page of a list, the same shape everywhere: items, total (capped at 10,000 on big lists: total_capped),
    page, per_page, and `next`, the path of the next page (null on the last). A list that pages by keyset
    gives next_after too: `next` carries it as ?after=, so a far page costs what the first does."""
    found = {"items": [serialise(x) for x in page.items], "total": page.total, "page": page.page,
             "per_page": page.per_page, "total_capped": page.total_capped, "next": _next_path(page)}
    if page.next_after is not None:
        found["next_after"] = page.next_after
    return found


def _next_path(page: Page) -> str | None:
    if page.next_after is not None:
        args = {**request.args.to_dict(), "after": page.next_after, "per_page": page.per_page}
        args.pop("page", None)
    elif page.has_next and len(page.items) == page.per_page:
        args = {**request.args.to_dict(), "page": page.page + 1, "per_page": page.per_page}
    else:
        return None
    return f"{request.path}?{urlencode(args)}"


def paginated(query, serialise, default_per_page: int = 50):
    page, per_page = page_args(default_per_page)
    return jsonify(page_json(paginate(db.session, query, page, per_page), serialise))


def field_date(data: dict, key: str, *, required: bool = False) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        if required:
            raise APIError(422, "invalid", _("缺少日期。"), {key: _("必填")})
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise APIError(422, "invalid", _("日期格式应为 YYYY-MM-DD。"), {key: _("日期无效")}) from exc


def field_money(data: dict, key: str) -> Any:
    try:
        return parse_money(data.get(key))
    except ValueError as exc:
        raise APIError(422, "invalid", _("金额无效（单位：万元）。"), {key: _("金额无效")}) from exc


def field_str(data: dict, key: str, max_length: int, *, required: bool = False) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise APIError(422, "invalid", _("字段类型错误。"), {key: _("应为文本")})
    value = value.strip()
    if required and not value:
        raise APIError(422, "invalid", _("缺少必填字段。"), {key: _("必填")})
    if len(value) > max_length:
        raise APIError(422, "invalid", _("文本过长。"), {key: _("不超过 %(n)s 个字符", n=max_length)})
    return value
