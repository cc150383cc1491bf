"""/api/v1 endpoints of the companies domain."""
from crm.api.base import api_blueprint

bp = api_blueprint("companies_api", __name__)
