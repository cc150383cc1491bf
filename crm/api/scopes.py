"""What a token may do: read-only or read-write, the resources it was limited to, and its rate (600 requests
a minute by default, counted per token and minute in the database, so all worker processes share it)."""
from datetime import timedelta

from flask import current_app, g, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from crm.api.models import RateWindow
from crm.core.db import utcnow
from crm.core.errors import APIError
from crm.extensions import db

READS = ("GET", "HEAD", "OPTIONS")
ALWAYS = {"me"}  # who the token belongs to: every token may ask
_UPSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def resource_of(path: str) -> str:
    """The resource of an /api/v1 path: its first segment (projects, events, match ...)."""
    return path.removeprefix("/api/v1/").split("/", 1)[0].lower()


def known_resources() -> list[str]:
    return sorted({resource_of(r.rule) for r in current_app.url_map.iter_rules() if r.rule.startswith("/api/v1/")}
                  - {"openapi.json"})


def check_scope() -> None:
    """Refuse (403) what the request's token was not given: writes to a read-only token, other resources."""
    token = g.get("api_token")
    if token is None:
        return
    _token_id, access, resources = token
    if access == "read" and request.method not in READS:
        raise APIError(403, "insufficient_scope", _("该令牌为只读令牌，不能修改数据。"))
    resource = resource_of(request.path)
    if resources and resource not in ALWAYS and resource not in resources.split(","):
        raise APIError(403, "insufficient_scope", _("该令牌无权访问“%(r)s”。", r=resource))


def check_rate() -> None:
    """Count the request in its token's minute; over the limit, 429 with the seconds until the next minute."""
    token = g.get("api_token")
    limit = current_app.config.get("API_RATE_LIMIT", 600)
    if token is None or not limit:
        return
    now = utcnow()
    minute = now.replace(second=0, microsecond=0)
    # a transaction of its own: the request's session keeps its reads (and its objects) unexpired
    with db.engine.begin() as connection:
        upsert = _UPSERT[connection.dialect.name](RateWindow).values(token_id=token[0], minute=minute, count=1)
        connection.execute(upsert.on_conflict_do_update(index_elements=["token_id", "minute"],
                                                        set_={"count": RateWindow.count + 1}))
        count = connection.execute(select(RateWindow.count).where(RateWindow.token_id == token[0],
                                                                  RateWindow.minute == minute)).scalar_one()
        if count == 1 and minute.minute == 0:  # once an hour is enough to drop the windows of the past
            connection.execute(RateWindow.__table__.delete().where(RateWindow.minute < minute - timedelta(hours=1)))
    if count > limit:
        g.retry_after = max(1, 60 - now.second)
        raise APIError(429, "rate_limited", _("请求过于频繁：每个令牌每分钟最多 %(n)s 次，请稍后再试。", n=limit))


def add_retry_after(response):
    if response.status_code == 429 and g.get("retry_after"):
        response.headers["Retry-After"] = str(g.retry_after)
    return response
