"""Response headers every answer carries (CSP, framing, sniffing, referrer, HSTS over HTTPS only),
cookie flags, and the forced password change (admin-forced reset or expired password)."""
from datetime import datetime, timedelta

from flask import Flask, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from crm.core import settings
from crm.core.db import utcnow

PASSWORD_MAX_AGE = settings.declare("password.max_age_days", 0)  # 0: passwords never expire
# Where a user who must change the password may still go: the change form itself and the way out.
PASSWORD_CHANGE_ENDPOINTS = {"auth.profile", "auth.change_password", "auth.logout", "auth.login", "static"}

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    # ECharts and Bootstrap set element styles from script; no inline <script> is ever allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def password_change_due(user, now: datetime) -> bool:
    """An admin reset the password (must_change_password), or it is older than the expiry setting."""
    if getattr(user, "must_change_password", False):
        return True
    try:
        max_age = int(settings.get(PASSWORD_MAX_AGE) or 0)
    except (TypeError, ValueError):
        max_age = 0
    if max_age <= 0:
        return False
    changed = getattr(user, "password_changed_at", None) or getattr(user, "created_at", None)
    return changed is None or now - changed > timedelta(days=max_age)


def _require_password_change():
    if request.endpoint in PASSWORD_CHANGE_ENDPOINTS or not current_user.is_authenticated:
        return None
    if not password_change_due(current_user, utcnow()):
        return None
    from crm.core.errors import json_error, wants_json
    from crm.core.htmx import redirect_to

    message = _("请先修改密码后再继续使用系统。")
    if wants_json():
        return json_error(403, "password_change_required", message)
    flash(message, "warning")
    return redirect_to(url_for("auth.profile"))


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def _refuse_nul_bytes():
    """A NUL has no place in any text here, and PostgreSQL refuses to store one: answer 400 up front."""
    values = [*request.args.values(), *request.form.values()]
    if request.is_json:
        values.append(request.get_json(silent=True))
    if any(_contains_nul(v) for v in values):
        from crm.core.errors import json_error, wants_json

        message = _("输入包含不允许的控制字符。")
        if wants_json():
            return json_error(400, "invalid", message)
        return message, 400
    return None


def register_security(app: Flask) -> None:
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.before_request(_refuse_nul_bytes)
    app.before_request(_require_password_change)
    if app.config.get("PROXY_FIX"):
        # Behind one reverse proxy (nginx) that sets X-Forwarded-For/-Proto/-Host.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if response.mimetype == "text/html":
            headers.setdefault("Cache-Control", "no-store")
        return response
