"""The per-project funds totals the dashboard reads follow every write and can be rebuilt from scratch."""
from datetime import date
from decimal import Decimal

from sqlalchemy import delete

from crm.core import settings
from crm.metrics.definitions import COUNTED_SOURCES
from crm.metrics.models import ProjectFunds
from crm.projects.models import FundsEntry, ReviewStatus
from crm.projects.stages import Stage
from tests import factories as f

API = "/api/v1/metrics?park=NANCHUAN&from=2025-01-01&to=2025-12-31"


def _arrived(api) -> float:
    return float(api.get(API).get_json()["totals"]["funds_arrived"])  # money is decimal text in the API


def test_totals_follow_writes_and_counting_rules(seeded, api_as):
    project = f.project("NANCHUAN", Stage.started, agreed_investment=Decimal("1000"))
    api = api_as("manager")
    entry = FundsEntry(project_id=project.id, period=date(2025, 10, 1), amount=Decimal("400"))
    seeded.session.add(entry)
    seeded.session.commit()
    assert _arrived(api) == 400.0
    seeded.session.add(FundsEntry(project_id=project.id, period=date(2025, 11, 1), amount=Decimal("50"),
                                  source="境外", review_status=ReviewStatus.pending))
    entry.amount = Decimal("300")
    seeded.session.commit()
    assert _arrived(api) == 300.0  # the pending entry does not count yet
    settings.put(COUNTED_SOURCES, ["境外"])
    seeded.session.commit()
    assert _arrived(api) == 0.0  # only 境外 funds count now, and the only one is still pending


def test_refresh_command_rebuilds_after_a_bulk_load(seeded, api_as, runner):
    project = f.project("NANCHUAN", Stage.started, agreed_investment=Decimal("1000"))
    seeded.session.add(FundsEntry(project_id=project.id, period=date(2025, 10, 1), amount=Decimal("400")))
    seeded.session.commit()
    seeded.session.execute(delete(ProjectFunds))  # as if the entries had been loaded outside the app
    seeded.session.commit()
    assert _arrived(api_as("manager")) == 0.0
    result = runner.invoke(args=["crm", "metrics", "refresh"])
    assert result.exit_code == 0, result.output
    assert _arrived(api_as("manager")) == 400.0
