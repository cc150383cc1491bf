"""Imports every model module so that SQLAlchemy's metadata knows every table."""
from crm.api import models as api_models  # noqa: F401
from crm.auth import models as auth_models  # noqa: F401
from crm.companies import models as companies_models  # noqa: F401
from crm.core import audit, settings  # noqa: F401
from crm.events import models as events_models  # noqa: F401
from crm.jobs import models as jobs_models  # noqa: F401
from crm.land import models as land_models  # noqa: F401
from crm.matching import models as matching_models  # noqa: F401
from crm.metrics import models as metrics_models  # noqa: F401
from crm.parks import models as parks_models  # noqa: F401
from crm.policies import models as policies_models  # noqa: F401
from crm.projects import models as projects_models  # noqa: F401
