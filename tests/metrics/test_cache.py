"""The dashboard, fair report and API keep figures per process, yet never show one a committed write changed,
never share figures between park scopes, and never keep what a session saw of its own uncommitted writes."""
import re
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from crm.auth.models import User
from crm.metrics import dashboard as board
from crm.metrics import freshness
from crm.metrics.models import PROVINCE, DataVersion, Target, TargetMetric
from crm.metrics.services import take_snapshot
from crm.projects.models import FundsEntry, Project
from crm.projects.stages import Stage
from tests import factories as f

THIS_YEAR = date.today().year
SIGNED = date(THIS_YEAR, 1, 15)


def _shown(html: str, key: str) -> int:
    return int(re.search(rf'data-count="{re.escape(key)}">(\d+)</a>', html).group(1))


def _signed(client, path: str = "/dashboard/") -> int:
    return _shown(client.get(path).get_data(as_text=True), "signed")


def _fair_signed(client, event_id: int) -> int:
    html = client.get(f"/reports/fair/{event_id}").get_data(as_text=True)
    return int(re.search(r'data-figure="signed" href="[^"]*">(\d+)</a>', html).group(1))


def _token(db) -> str | None:
    return db.session.scalar(select(DataVersion.token).where(DataVersion.id == freshness.ALL))


def _data(seeded):
    f.project("GANHE", Stage.started, signed_date=SIGNED)
    f.project("GANHE", Stage.signed, signed_date=SIGNED)
    f.project("NANCHUAN", Stage.signed, signed_date=SIGNED)
    seeded.session.commit()


def test_a_repeated_request_is_served_from_the_cache(seeded, login_as, monkeypatch):
    _data(seeded)
    client = login_as("manager")
    builds = []
    real_build = board.build
    monkeypatch.setattr(board, "build", lambda *args: builds.append(args) or real_build(*args))
    first, second = client.get("/dashboard/").get_data(as_text=True), client.get("/dashboard/").get_data(as_text=True)
    assert len(builds) == 1
    assert _shown(first, "signed") == _shown(second, "signed") == 3


def test_a_write_committed_elsewhere_changes_the_next_render(app, seeded, login_as):
    """Another worker's commit (a session of its own) reaches this process through the token in the database."""
    _data(seeded)
    client = login_as("manager")
    assert _signed(client) == 3
    with Session(seeded.engine) as other_worker:
        park_id = f.park("NANCHUAN").id
        company_id = f.company().id
        seeded.session.commit()
        other_worker.add(Project(name="另一进程签约的项目", company_id=company_id, park_id=park_id, stage=Stage.signed,
                                 counted_stage=Stage.signed, signed_date=SIGNED, agreed_investment=Decimal(100)))
        other_worker.commit()
    assert _signed(client) == 4


def test_funds_and_stage_writes_through_the_app_show_at_once(seeded, login_as, api_as):
    _data(seeded)
    manager = login_as("manager")
    api = api_as("manager")
    before = api.get(f"/api/v1/metrics?from={THIS_YEAR}-01-01").get_json()
    html = manager.get("/dashboard/").get_data(as_text=True)
    project = seeded.session.scalar(select(Project).where(Project.counted_stage == Stage.started))
    seeded.session.add(FundsEntry(project_id=project.id, period=date(THIS_YEAR, 2, 1), amount=Decimal("250")))
    seeded.session.commit()
    after = api.get(f"/api/v1/metrics?from={THIS_YEAR}-01-01").get_json()
    assert Decimal(after["totals"]["funds_arrived"]) == Decimal(before["totals"]["funds_arrived"]) + 250
    assert "250.00" in manager.get("/dashboard/").get_data(as_text=True) and "250.00" not in html
    # an ORM bulk UPDATE (no unit of work) retires the copies too
    seeded.session.execute(update(Project).where(Project.id == project.id).values(counted_stage=Stage.dropped))
    seeded.session.commit()
    assert _shown(manager.get("/dashboard/").get_data(as_text=True), "stage_dropped") == 1


def test_manager_and_park_staff_never_share_figures(seeded, login_as):
    _data(seeded)
    manager, ganhe = login_as("manager"), login_as("park_staff", parks=["GANHE"])
    nanchuan = login_as("park_staff", parks=["NANCHUAN"])
    for _round in range(2):  # the second round is served from the cache
        assert _signed(manager) == 3
        assert _signed(ganhe) == 2
        assert _signed(nanchuan) == 1
    fair = f.event(THIS_YEAR)
    seeded.session.execute(update(Project).values(event_id=fair.id))
    seeded.session.commit()
    for _round in range(2):
        assert _fair_signed(manager, fair.id) == 3
        assert _fair_signed(ganhe, fair.id) == 2


def test_uncommitted_writes_are_shown_to_their_session_but_never_kept(seeded, login_as):
    _data(seeded)
    client = login_as("manager")
    assert _signed(client) == 3
    f.project("NANCHUAN", Stage.signed, signed_date=SIGNED)  # flushed, not committed; the request shares the session
    assert _signed(client) == 4
    seeded.session.rollback()
    assert _signed(client) == 3


def test_languages_and_names_are_part_of_what_is_kept(app, seeded, login_as):
    _data(seeded)
    chinese, english = login_as("manager"), login_as("manager")
    english.user.locale = "en"
    seeded.session.commit()
    for client, label in ((chinese, "签约率"), (english, "Signing rate"), (chinese, "签约率")):
        with app.app_context():  # a context of its own, as in production: Flask-Babel keeps the locale in it
            assert label in client.get("/dashboard/").get_data(as_text=True)
    officer = seeded.session.get(User, chinese.user.id)
    seeded.session.execute(update(Project).values(officer_id=officer.id))
    officer.display_name = "王专员"
    seeded.session.commit()
    assert "王专员" in chinese.get("/dashboard/").get_data(as_text=True)
    officer.display_name = "李专员"
    seeded.session.commit()
    html = chinese.get("/dashboard/").get_data(as_text=True)
    assert "李专员" in html and "王专员" not in html


def test_a_sign_in_does_not_retire_the_figures(seeded, login_as):
    _data(seeded)
    client = login_as("manager")
    client.get("/dashboard/")
    token = _token(seeded)
    user = seeded.session.get(User, client.user.id)
    user.last_login_ip = "127.0.0.2"  # what signing in writes
    seeded.session.commit()
    assert _token(seeded) == token
    user.role = "officer"
    seeded.session.commit()
    assert _token(seeded) != token  # the officers in the filter choices changed


def test_rows_added_while_committing_still_change_the_token(seeded, login_as):
    """A before_commit hook that runs after ours adds rows the commit's own flush writes: the token follows."""
    _data(seeded)
    client = login_as("manager")
    assert _signed(client) == 3
    token = _token(seeded)

    def add_project(session):
        if not session.info.get("test_added"):
            session.info["test_added"] = True
            f.project("NANCHUAN", Stage.signed, signed_date=SIGNED)

    event.listen(Session, "before_commit", add_project)
    try:
        seeded.session.commit()
    finally:
        event.remove(Session, "before_commit", add_project)
        seeded.session.info.pop("test_added", None)
    assert _token(seeded) != token
    assert _signed(client) == 4


def test_snapshots_and_targets_change_the_kept_page(seeded, login_as):
    _data(seeded)
    client = login_as("manager")
    path = f"/dashboard/?from={THIS_YEAR}-01-01&to={THIS_YEAR}-12-31"
    html = client.get(path).get_data(as_text=True)
    trend, target = 'data-chart="trend-data"', 'aria-label="签约项目数"'
    assert trend not in html and target not in html
    take_snapshot(date(THIS_YEAR, 1, 1), now=datetime.now(UTC))  # the monthly job
    seeded.session.commit()
    assert trend in client.get(path).get_data(as_text=True)
    seeded.session.add(Target(unit=PROVINCE, year=THIS_YEAR, metric=TargetMetric.signed, value=Decimal(10)))
    seeded.session.commit()
    assert target in client.get(path).get_data(as_text=True)


def test_before_any_token_the_first_write_still_retires_the_copies(seeded, login_as):
    """A database just migrated has no token row yet: pages are kept under "" until the first write makes one."""
    _data(seeded)
    client = login_as("manager")
    with seeded.engine.begin() as conn:
        conn.execute(DataVersion.__table__.delete())
    assert _signed(client) == 3 and _signed(client) == 3
    f.project("NANCHUAN", Stage.signed, signed_date=SIGNED)
    seeded.session.commit()
    assert _token(seeded) and _signed(client) == 4


def test_funds_by_month_outlive_project_writes_and_follow_funds_writes(seeded, login_as, monkeypatch):
    """The funds-by-month chart of all projects is read again after a funds entry or a setting, not after a
    project's stage change (which still changes the figures)."""
    from crm.core import settings
    from crm.metrics import breakdown

    _data(seeded)
    client = login_as("manager")
    reads = []
    real = breakdown._funds_by_month
    monkeypatch.setattr(breakdown, "_funds_by_month", lambda *args: reads.append(args) or real(*args))
    assert _signed(client) == 3 and len(reads) == 1
    project = f.project("NANCHUAN", Stage.signed, signed_date=SIGNED)
    seeded.session.commit()
    assert _signed(client) == 4 and len(reads) == 1
    seeded.session.add(FundsEntry(project_id=project.id, period=date(THIS_YEAR, 3, 1), amount=Decimal("4321")))
    seeded.session.commit()
    assert "4321.0" in client.get("/dashboard/").get_data(as_text=True) and len(reads) == 2
    settings.put("funds.counted_sources", [])
    seeded.session.commit()
    client.get("/dashboard/")
    assert len(reads) == 3
