"""/api/v1 endpoints of the events domain."""
from crm.api.base import api_blueprint

bp = api_blueprint("events_api", __name__)
