"""/api/v1 endpoints of the metrics domain."""
from crm.api.base import api_blueprint

bp = api_blueprint("metrics_api", __name__)
