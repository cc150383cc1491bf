"""/api/v1 endpoints of the jobs domain."""
from crm.api.base import api_blueprint

bp = api_blueprint("jobs_api", __name__)
