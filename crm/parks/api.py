"""/api/v1/parks: parks and bases with positioning, industries and chains (readable by every role)."""
from flask import jsonify

from crm.api.base import api_blueprint, paginated
from crm.core.scope import get_visible_or_404
from crm.extensions import db
from crm.parks.queries import park_by_code, parks_with_chains, serialise_park

bp = api_blueprint("parks_api", __name__)


@bp.get("/parks")
def parks():
    return paginated(parks_with_chains(), serialise_park, default_per_page=100)


@bp.get("/parks/<code>")
def park(code: str):
    return jsonify(serialise_park(get_visible_or_404(db.session, park_by_code(code))))
