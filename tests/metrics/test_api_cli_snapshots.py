"""The API and `crm metrics --json` answer the same figures; snapshots and targets are idempotent."""
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from crm.core.seedfiles import ChangeCounter
from crm.metrics.models import MetricSnapshot, Target
from crm.metrics.seed import seed_targets
from crm.metrics.services import take_snapshot
from crm.projects.models import FundsEntry
from crm.projects.stages import Stage
from tests import factories as f

RATE_NAMES = ("signing_rate", "performance_rate", "start_rate", "production_rate", "funds_arrival_rate")


def _data(seeded):
    a = f.project("NANCHUAN", Stage.started, agreed_investment=Decimal("1000"))
    f.project("NANCHUAN", Stage.signed, agreed_investment=Decimal("3000"))
    f.project("GANHE", Stage.producing)
    seeded.session.add(FundsEntry(project_id=a.id, period=date(2025, 10, 1), amount=Decimal("400")))
    seeded.session.commit()


def test_api_returns_rates_by_name(seeded, api_as):
    _data(seeded)
    body = api_as("manager").get("/api/v1/metrics?park=NANCHUAN&from=2025-01-01&to=2025-12-31").get_json()
    for name in RATE_NAMES:
        assert set(body[name]) == {"numerator", "denominator", "value", "text"}
    assert body["start_rate"] == {"numerator": 1, "denominator": 2, "value": 50.0, "text": "50.00%"}
    assert body["funds_arrival_rate"]["value"] == 10.0  # 400 ÷ 4000
    assert body["stages"]["started"] == 1 and body["totals"]["agreed_investment"] == "4000"
    empty = api_as("manager").get("/api/v1/metrics?from=2001-01-01&to=2001-12-31").get_json()
    assert empty["start_rate"] == {"numerator": 0, "denominator": 0, "value": None, "text": "—"}


def test_api_park_staff_scope_and_bad_input(seeded, api_as):
    _data(seeded)
    staff = api_as("park_staff", parks=["GANHE"])
    body = staff.get("/api/v1/metrics").get_json()
    assert body["start_rate"] == {"numerator": 1, "denominator": 1, "value": 100.0, "text": "100.00%"}
    assert staff.get("/api/v1/metrics?park=NANCHUAN").get_json()["start_rate"]["denominator"] == 0
    bad = staff.get("/api/v1/metrics?from=junk")
    assert bad.status_code == 400 and "from" in bad.get_json()["error"]["fields"]


def test_cli_json_prints_the_api_figures(seeded, runner, api_as):
    _data(seeded)
    result = runner.invoke(args=["crm", "metrics", "--park", "NANCHUAN", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == api_as("admin").get("/api/v1/metrics?park=NANCHUAN").get_json()
    text = runner.invoke(args=["crm", "metrics"])
    assert "开工率 start_rate: 2 / 3" in text.output
    assert runner.invoke(args=["crm", "metrics", "--park", "NOPE"]).exit_code != 0


def test_snapshot_is_idempotent_and_feeds_the_trend(seeded, login_as):
    _data(seeded)
    now = datetime(2025, 11, 1, tzinfo=UTC)
    n = take_snapshot(date(2025, 10, 1), now=now)
    take_snapshot(date(2025, 10, 15), now=now)
    seeded.session.commit()
    assert seeded.session.query(MetricSnapshot).count() == n
    province = seeded.session.query(MetricSnapshot).filter_by(scope_kind="province").one()
    assert province.figures["start_rate"]["value"] == 66.67  # two decimals, as the provincial reports print rates
    html = login_as("manager").get("/dashboard/?from=2025-01-01&to=2025-12-31").get_data(as_text=True)
    assert "比率走势" in html and "2025-10" in html


def test_seed_targets_once(seeded):
    assert seeded.session.query(Target).filter_by(unit="province").count() == 3  # seeded by the fixture
    counter = ChangeCounter()
    seed_targets(counter)
    assert not counter.changed
    values = {t.metric: t.value for t in seeded.session.query(Target)}
    assert values["big_10e"] == 20 and values["big_100e"] == 2 and values["funds_growth"] == 10
