"""/api/v1 endpoints of the matching domain."""
from crm.api.base import api_blueprint

bp = api_blueprint("matching_api", __name__)
