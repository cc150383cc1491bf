"""The API's description: /api/v1/openapi.json (OpenAPI 3.1, built from the routes) and /api/docs, a page
that renders it with Swagger UI served from static/vendor (no CDN). Either needs a signed-in user: the
document to a token (an integrator) or a session (the docs page reads it with the page's cookie)."""
from flask import Blueprint, current_app, jsonify, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.api import openapi
from crm.api.openapi import documented
from crm.core.errors import APIError

bp = Blueprint("api_docs", __name__)


@bp.get("/api/v1/openapi.json")
@documented(answer={"type": "object", "description": "an OpenAPI 3.1 document"})
def openapi_json():
    """This API's OpenAPI 3.1 description."""
    if not current_user.is_authenticated:
        raise APIError(401, "unauthorized", _("需要有效的访问令牌（Authorization: Bearer …）。"))
    document = current_app.extensions.get("crm_openapi")
    if document is None:  # the routes are fixed once the app is built: describe them once
        document = current_app.extensions["crm_openapi"] = openapi.build(current_app)
    return jsonify(document)


@bp.get("/api/docs")
@login_required
def docs():
    return render_template("api/docs.html")
