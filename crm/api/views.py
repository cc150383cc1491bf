"""/api/v1/me: who the token belongs to."""
from flask import jsonify
from flask_login import current_user

from crm.api.base import api_blueprint
from crm.api.openapi import INTEGER, TEXT, documented, obj

bp = api_blueprint("api", __name__)


@bp.get("/me")
@documented(answer=obj({"id": INTEGER, "username": TEXT, "name": TEXT, "role": TEXT,
                        "parks": {"type": "array", "items": TEXT}, "locale": TEXT}, ("id", "username", "role")))
def me():
    """Who the token belongs to."""
    user = current_user
    return jsonify({"id": user.id, "username": user.username, "name": user.name, "role": user.role,
                    "parks": [p.code for p in user.parks], "locale": user.locale})
