"""How Flask-Login finds the user: session cookie (id + session token) or an API bearer token."""
from functools import cache

from flask import g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from crm.auth.models import User
from crm.core import prefetch
from crm.core.db import utcnow
from crm.core.params import parse_int
from crm.extensions import db


def register_loaders(app, login_manager) -> None:
    @app.teardown_request
    def forget_request_user(_error=None):
        """g outlives the request when an app context was already pushed (tests, CLI): start clean."""
        g.pop("_login_user", None)
        g.pop("token_auth", None)
        g.pop("api_token", None)

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_from_session(session_id: str):
        user_id, _, token = session_id.partition(":")
        try:
            user_id = parse_int(user_id, low=1)
        except ValueError:
            return None
        if not token:
            return None
        from crm.jobs.unread import remember_unread

        found = db.session.execute(_session_user(db.session.get_bind().dialect.name),
                                   {"user_id": user_id, "session_token": token}).first()
        if found is None or not found[0].active:
            return None
        remember_unread(found[1] or 0)
        prefetch.remember(found[2:])
        return found[0]

    @login_manager.request_loader
    def load_from_token(req):
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or not request.path.startswith("/api/"):
            return None
        from crm.auth.services import valid_token

        token = valid_token(header.removeprefix("Bearer ").strip(), now=utcnow())
        if token is None:
            return None
        g.token_auth = True
        g.api_token = (token.id, token.access, token.resources)  # what the token may do (crm.api.scopes)
        if db.session.dirty:  # last_used_at, at most every few minutes; a commit would expire the user
            db.session.commit()
        return token.user


@cache
def _session_user(dialect: str):
    """The signed-in user with the bell's unread count and what every request reads (crm.core.prefetch): every
    page needs them, and one statement is one round trip. Built once: building it again for every request cost
    more than running it on SQLite."""
    from crm.jobs.queries import unread_count_of

    return (select(User, unread_count_of(User.id).scalar_subquery(), *prefetch.columns(dialect))
            .where(User.id == bindparam("user_id"), User.session_token == bindparam("session_token")))
