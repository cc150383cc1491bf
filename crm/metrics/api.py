"""/api/v1/metrics: the figures of a cohort, each rate under its name as {numerator, denominator, value}."""
from flask import jsonify, request
from flask_login import current_user

from crm.api.base import api_blueprint
from crm.api.openapi import INTEGER, TEXT, documented
from crm.core.db import utcnow
from crm.core.formatting import local_today
from crm.core.permissions import Role, roles_required
from crm.metrics import cache
from crm.metrics.figures import compute
from crm.metrics.filters import parse_cohort
from crm.metrics.serialise import METRICS_SCHEMA, figures_json

bp = api_blueprint("metrics_api", __name__)


FILTERS = {"park": (TEXT, "park code"), "event": (INTEGER, "event id: a fair's cohort"),
           "industry": (INTEGER, "industry id"), "officer": (INTEGER, "officer id"),
           "from": ({"type": "string", "format": "date"}, "signed on or after"),
           "to": ({"type": "string", "format": "date"}, "signed on or before")}


@bp.get("/metrics")
@roles_required(Role.manager, Role.officer, Role.park_staff)
@documented(query=FILTERS, answer=METRICS_SCHEMA, errors=(400,))
def metrics():
    """The rates, stage counts and totals of a cohort of signed projects.

    Filters: park, event, industry, officer, from, to (signing dates; none given means all time)."""
    cohort = parse_cohort(request.args, user=current_user, today=local_today(utcnow()))
    figures = cache.data.get(("figures", cache.cohort_key(cohort)), lambda: compute(cohort))
    return jsonify({**figures_json(figures), "filters": cohort.args()})

