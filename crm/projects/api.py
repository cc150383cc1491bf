"""/api/v1 endpoints of the projects domain."""
from crm.api.base import api_blueprint

bp = api_blueprint("projects_api", __name__)
