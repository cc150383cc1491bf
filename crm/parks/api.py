"""/api/v1/parks: parks and bases with positioning, industries and chains (readable by every role)."""
from flask import jsonify

from crm.api.base import api_blueprint, paginated
from crm.api.openapi import INTEGER, TEXT, documented, nullable, obj, schema
from crm.core.scope import get_visible_or_404
from crm.extensions import db
from crm.parks.queries import park_by_code, parks_with_chains, serialise_park

bp = api_blueprint("parks_api", __name__)
_LINK = obj({"id": INTEGER, "name": TEXT, "position": INTEGER, "keywords": {"type": "array", "items": TEXT}},
            ("id", "name"))
PARK = schema("Park", obj({
    "id": INTEGER, "code": TEXT, "name": TEXT, "level": TEXT, "parent": nullable("string"), "positioning": TEXT,
    "industries": {"type": "array", "items": TEXT}, "eco_restricted": {"type": "boolean"},
    "chains": {"type": "array", "items": obj({"id": INTEGER, "name": TEXT, "links": {"type": "array", "items": _LINK}},
                                             ("id", "name", "links"))}}, ("id", "code", "name", "chains")))


@bp.get("/parks")
@documented(answer=PARK, lists=True)
def parks():
    """Parks and bases with their positioning, industries and chains."""
    return paginated(parks_with_chains(), serialise_park, default_per_page=100)


@bp.get("/parks/<code>")
@documented(answer=PARK)
def park(code: str):
    """A park by its code."""
    return jsonify(serialise_park(get_visible_or_404(db.session, park_by_code(code))))
