"""/api/v1/me: who the token belongs to."""
from flask import jsonify
from flask_login import current_user

from crm.api.base import api_blueprint

bp = api_blueprint("api", __name__)


@bp.get("/me")
def me():
    user = current_user
    return jsonify({"id": user.id, "username": user.username, "name": user.name, "role": user.role,
                    "parks": [p.code for p in user.parks], "locale": user.locale})
