"""The API's description: /api/v1/openapi.json (OpenAPI 3.1, built from the routes) and /api/docs, a page
that renders it with Swagger UI served from static/vendor (no CDN). Both are public: they show how to call
the API, no data; every call they describe still needs a token."""
from flask import Blueprint, current_app, jsonify, render_template

from crm.api import openapi
from crm.api.openapi import documented

bp = Blueprint("api_docs", __name__)


@bp.get("/api/v1/openapi.json")
@documented(answer={"type": "object", "description": "an OpenAPI 3.1 document"})
def openapi_json():
    """This API's OpenAPI 3.1 description."""
    document = current_app.extensions.get("crm_openapi")
    if document is None:  # the routes are fixed once the app is built: describe them once
        document = current_app.extensions["crm_openapi"] = openapi.build(current_app)
    return jsonify(document)


openapi_json.public = True


@bp.get("/api/docs")
def docs():
    return render_template("api/docs.html")
