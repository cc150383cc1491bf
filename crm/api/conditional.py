"""Conditional requests for every /api/v1 blueprint: an ETag on each answer that shows one object, and
If-Match on PATCH/PUT/DELETE answered with 412 when the object changed since the client read it.

The ETag of an object that carries a `version` is that version ("v3"): any write to the object bumps it,
and things merely shown beside it (today's lateness, its list of funds) do not make an edit conflict.
Other answers get a digest of their body. A write's precondition is checked against the ETag that a GET of
the same path gives now, so every route that can be read gets the check without code of its own; the
version check inside the services (and the row's version column) still catches a write that slips in
between that read and the write itself.
"""
import hashlib
import json

from flask import current_app, g, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from crm.core.errors import APIError

GUARDED_METHODS = ("PATCH", "PUT", "DELETE")


def etag_of(body) -> str:
    """The entity tag (quoted, strong) of a JSON body: its version when it has one, else a digest."""
    if isinstance(body, dict) and isinstance(body.get("version"), int) and not isinstance(body["version"], bool):
        return f'"v{body["version"]}"'
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    return f'"{digest[:32]}"'


def _listed_tags(header: str) -> list[str]:
    """The entity tags of an If-Match header; a weak tag never matches (RFC 9110 strong comparison)."""
    return [t.strip() for t in header.split(",") if t.strip() and not t.strip().startswith("W/")]


def current_etag() -> str | None:
    """The ETag a GET of this request's path answers with now; None where the path has no readable object."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, args = adapter.match(request.path, method="GET")
    except (NotFound, MethodNotAllowed):
        return None
    try:
        response = current_app.make_response(current_app.view_functions[endpoint](**args))
    except HTTPException:  # the object is gone or out of scope: the write's own view answers for it
        return None
    if response.status_code != 200 or not response.is_json:
        return None
    return etag_of(response.get_json())


def check_preconditions() -> None:
    """Before a PATCH/PUT/DELETE: refuse (412) when If-Match names a state the object no longer has."""
    g.if_match_ok = False
    header = request.headers.get("If-Match", "").strip()
    if request.method not in GUARDED_METHODS or not header:
        return
    etag = current_etag()
    if etag is None:
        return
    if header != "*" and etag not in _listed_tags(header):
        g.current_etag = etag
        raise APIError(412, "precondition_failed",
                       _("记录已被他人修改（您读取后又有保存），请重新读取后再修改。"), {"If-Match": _("版本已过期")})
    g.if_match_ok = True


def expected_version(data: dict, obj) -> int | None:
    """The version a write was made against: `version` in the body, else the one a matching If-Match proved."""
    if data.get("version") not in (None, ""):
        return data["version"]
    if g.get("if_match_ok"):
        return obj.version
    return None


def require_version(data: dict, obj) -> int:
    """As expected_version, but a write without either is refused (428) rather than overwriting blindly."""
    version = expected_version(data, obj)
    if version is None:
        raise APIError(428, "precondition_required", _("请带上 If-Match（读取时的 ETag）或 version。"),
                       {"version": _("必填")})
    return version


def add_etag(response):
    """After a request: tag a readable object's answer; a GET whose tag the client holds gets 304."""
    if response.status_code == 412 and g.get("current_etag"):
        response.headers["ETag"] = g.current_etag
        return response
    if not response.is_json or response.status_code not in (200, 201) or "ETag" in response.headers:
        return response
    body = response.get_json(silent=True)
    if request.method in ("GET", "HEAD"):
        etag = response.headers["ETag"] = etag_of(body)
        # only a digest proves the whole body unchanged; a version leaves out what is shown beside the object
        if not etag.startswith('"v') and request.if_none_match.contains(etag.strip('"')):
            response.status_code, response.data = 304, b""
    elif isinstance(body, dict) and "version" in body:
        response.headers["ETag"] = etag_of(body)  # the new state, for the next If-Match
    return response
