"""Error answers: an HTML page for browsers, application/problem+json (RFC 9457) for the API."""
from flask import Flask, current_app, g, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DisconnectionError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from crm.extensions import db


class APIError(Exception):
    """Raised by API views and services' callers to answer with the API's error shape."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


class ServiceError(Exception):
    """A business rule refused an action; carries a user-facing message and optional field errors."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, fields: dict | None = None, *, status: int | None = None,
                 code: str | None = None):
        super().__init__(message)
        self.message, self.fields = message, fields or {}
        self.status = status or self.status
        self.code = code or self.code


def wants_json() -> bool:
    return request.path.startswith("/api/")


PROBLEM_JSON = "application/problem+json"


def problem(status: int, code: str, message: str, fields: dict | None = None) -> dict:
    """An RFC 9457 problem: `type` names the kind of error, `title` says it in general, `detail` for this
    request, `errors` maps each refused field to its message (all in the user's language). `error` keeps the
    shape answers had before problem details, so older clients go on reading `error.fields`."""
    fields = fields or {}
    return {"type": f"urn:crm:problem:{code}", "title": _titles().get(status) or _("请求无法完成。"),
            "status": status, "detail": message, "code": code, "errors": fields,
            "error": {"code": code, "message": message, "fields": fields}}


def json_error(status: int, code: str, message: str, fields: dict | None = None):
    response = jsonify(problem(status, code, message, fields))
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response


def _page(status: int, message: str):
    return render_template("errors/error.html", status=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(APIError)
    def api_error(error: APIError):
        return json_error(error.status, error.code, error.message, error.fields)

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        db.session.rollback()
        if wants_json():
            return json_error(error.status, error.code, error.message, error.fields)
        return _page(error.status, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _("表单已过期或缺少安全令牌，请刷新页面后重试。")
        return json_error(400, "csrf", message) if wants_json() else _page(400, message)

    for error_class in (OperationalError, InterfaceError, DisconnectionError, PoolTimeoutError):
        app.register_error_handler(error_class, database_unavailable)
    app.register_error_handler(DataError, database_refused)
    app.register_error_handler(IntegrityError, database_refused)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if status == 401 and not wants_json():
            return redirect(url_for("auth.login", next=request.full_path))
        message = _messages().get(status, error.description or "")
        if wants_json():
            return json_error(status, error.name.lower().replace(" ", "_"), message)
        return _page(status, message)


def database_unavailable(error: Exception):
    """Unreachable or locked database: 503 now; the pool reconnects once it is back (crm.core.db)."""
    _discard_session()
    if g.get("_login_user") is None:
        g._login_user = AnonymousUserMixin()  # the error page must not try to load the user again
    message = _("数据库暂时不可用，请稍后再试。")
    response = json_error(503, "unavailable", message) if wants_json() else make_response(_page(503, message))
    response.headers["Retry-After"] = "30"
    return response


def database_refused(error: Exception):
    """Defence in depth behind the forms' own checks: the database refused a value (too long, out of
    range, duplicate). The change is rolled back and the user gets a 4xx, never a 500."""
    _discard_session()
    if isinstance(error, IntegrityError):
        status, code, message = 409, "conflict", _("与已有记录冲突（例如重复），未保存。")
    else:
        status, code, message = 400, "invalid", _("输入的数据超出允许范围（过长或格式不对），未保存。")
    return json_error(status, code, message) if wants_json() else _page(status, message)


def _discard_session() -> None:
    """Roll back (or, if even that fails, drop) the session so the next request starts clean."""
    try:
        db.session.rollback()
    except Exception:  # the connection is already broken: dropping the session is enough
        db.session.remove()


def _titles() -> dict[int, str]:
    return {**_messages(), 404: _("找不到该记录。"), 409: _("与当前状态冲突。"), 412: _("记录已被他人修改。"),
            413: _("请求体太大。"), 415: _("不支持的内容类型。"), 422: _("输入无效。"), 428: _("缺少前提条件。"),
            500: _("服务器内部错误。"), 503: _("服务暂时不可用。")}


def _messages() -> dict[int, str]:
    return {
        400: _("请求无效。"),
        401: _("请先登录。"),
        403: _("您没有权限执行此操作。"),
        404: _("找不到该页面或记录，或者您无权查看。"),
        405: _("不支持该请求方法。"),
        409: _("记录已被他人修改，请刷新后重试。"),
        413: _("上传的文件太大（上限 %(n)s MB）。", n=(current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 2**20),
        429: _("请求过于频繁，请稍后再试。"),
    }
