"""The idle-land check: exactly the parcels past a year from the agreed start without 开工, over the day
boundary; 可收回 past two years; the daily job flags and warns once, also with two schedulers at once."""
import csv
import io
import subprocess
from datetime import date

from sqlalchemy import func, select

from crm.extensions import db
from crm.jobs.models import JobRun, Notification
from crm.jobs.runner import run_job
from crm.land import idle, services
from crm.land.models import Carrier, CarrierChange
from tests.conftest import make_user
from tests.jobs.conftest import flask_command, subprocess_env  # noqa: F401  (a fixture)
from tests.land.conftest import parcel, signed_project

AGREED = date(2024, 6, 1)


def _supplied(admin, name: str, *, agreed=AGREED, supplied=date(2024, 4, 1), park="NANCHUAN", **project_fields):
    carrier = parcel(admin, park, name, area="50")
    project = signed_project(park, name=f"{name}项目", **project_fields)
    services.supply_carrier(project, carrier, actor=admin, now=None,
                            values={"supplied_on": supplied.isoformat(), "agreed_start": agreed.isoformat()})
    return carrier, project


def _flagged(day: date) -> dict[str, str]:
    return {f.supply.carrier.name: f.finding for f in idle.findings(day)}


def test_flags_exactly_the_parcels_past_a_year_without_a_start_over_the_day_boundary(seeded, admin):
    _supplied(admin, "1号地块")
    started, _p = _supplied(admin, "2号地块")
    services.move_carrier(started, "started", fact_date="2025-03-01", actor=admin)
    _supplied(admin, "3号地块", started_date=date(2025, 5, 1), stage="started")  # the project itself started
    _supplied(admin, "4号地块", agreed=date(2024, 9, 1))  # agreed later: not yet a year
    _supplied(admin, "5号地块", supplied=date(2025, 7, 1), agreed=date(2025, 7, 1))  # supplied after that day
    db.session.commit()
    assert _flagged(date(2025, 6, 1)) == {}  # the anniversary itself: a year, not more
    assert _flagged(date(2025, 6, 2)) == {"1号地块": "idle"}
    assert _flagged(date(2025, 9, 1)) == {"1号地块": "idle"}
    assert _flagged(date(2025, 9, 2)) == {"1号地块": "idle", "4号地块": "idle"}
    assert _flagged(date(2026, 6, 1))["1号地块"] == "idle"
    assert _flagged(date(2026, 6, 2))["1号地块"] == "reclaimable"  # two years past: 可收回


def test_the_cli_prints_the_findings_as_csv(seeded, admin, runner):
    _supplied(admin, "1号地块")
    db.session.commit()
    result = runner.invoke(args=["crm", "land", "check", "--today", "2025-07-01"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows == [{"park_code": "NANCHUAN", "carrier": "1号地块", "project": "1号地块项目",
                     "supplied_on": "2024-04-01", "agreed_start": "2024-06-01", "days_late": "395",
                     "finding": "idle"}]
    bad = runner.invoke(args=["crm", "land", "check", "--today", "2025-13-01"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_the_daily_job_flags_the_parcel_and_warns_the_park_and_the_officer_once(seeded, admin):
    officer = make_user("land_officer", "officer")
    staff = make_user("land_staff", "park_staff", parks=["NANCHUAN"])
    make_user("other_staff", "park_staff", parks=["GANHE"])
    carrier, _project = _supplied(admin, "1号地块", officer_id=officer.id)
    db.session.commit()
    first = run_job("land_idle_check", today=date(2025, 7, 1))
    second = run_job("land_idle_check", today=date(2025, 7, 2))
    assert (first.outcome, first.items, second.items) == ("ok", 2, 0)
    notes = db.session.scalars(select(Notification).order_by(Notification.user_id)).all()
    assert [n.user_id for n in notes] == [officer.id, staff.id] and "已属闲置土地" in notes[0].title
    db.session.expire_all()
    assert db.session.get(Carrier, carrier.id).status == "idle"
    moves = db.session.scalars(select(CarrierChange).where(CarrierChange.to_status == "idle")).all()
    assert [(m.fact_date, m.actor_id) for m in moves] == [(date(2025, 6, 2), None)]
    later = run_job("land_idle_check", today=date(2026, 6, 2))  # 可收回: a second warning, once
    assert later.items == 2 and "可无偿收回" in db.session.scalars(select(Notification.title)
                                                                  .order_by(Notification.id.desc())).first()


def test_two_schedulers_at_once_run_the_check_once(seeded, admin, subprocess_env, project_root):  # noqa: F811
    officer = make_user("land_officer", "officer")
    _supplied(admin, "1号地块", officer_id=officer.id)
    _supplied(admin, "2号地块", officer_id=officer.id)
    db.session.commit()
    command = flask_command("crm", "scheduler", "--once", "--date", "2025-07-01")
    workers = [subprocess.Popen(command, cwd=project_root, env=subprocess_env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=180)[0] for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    db.session.expire_all()
    titles = db.session.scalars(select(Notification.title).where(Notification.user_id == officer.id)).all()
    assert sorted(titles) == sorted(set(titles)) and len(titles) == 2
    assert db.session.scalar(select(func.count()).select_from(CarrierChange)
                             .where(CarrierChange.to_status == "idle")) == 2
    runs = db.session.scalars(select(JobRun).where(JobRun.job == "land_idle_check")).all()
    assert sum(r.items for r in runs) == 2 and {r.outcome for r in runs} == {"ok"}


def test_the_dashboard_lists_idle_parcels_in_scope_and_a_parks_tax_trend(seeded, admin, login_as):
    from decimal import Decimal

    from crm.land import efficiency

    carrier, project = _supplied(admin, "1号地块", agreed=date(2020, 6, 1), supplied=date(2020, 4, 1))
    for year, tax in (("2023", "400"), ("2024", "600")):
        efficiency.record_yearly(project, actor=admin, values={"year": year, "tax": tax})
    db.session.commit()
    manager = login_as("manager").get("/dashboard/").get_data(as_text=True)
    assert "闲置土地预警" in manager and "1号地块" in manager and "可收回" in manager
    assert '"data": [8.0, 12.0]' in manager or '"data":[8.0,12.0]' in manager  # 400 and 600 over 50 亩
    other = login_as("park_staff", parks=["GANHE"]).get("/dashboard/").get_data(as_text=True)
    assert "闲置土地预警" in other and "1号地块" not in other
    assert Decimal(50) == carrier.area_mu


def test_the_idle_list_shows_every_finding_in_scope(seeded, admin, login_as):
    for n in range(1, 11):
        _supplied(admin, f"{n}号地块")
    _supplied(admin, "甘河1号地块", park="GANHE")
    db.session.commit()
    staff = login_as("park_staff", parks=["NANCHUAN"])
    dashboard = staff.get("/dashboard/").get_data(as_text=True)
    assert "查看全部 10 块" in dashboard
    listed = staff.get("/land/idle").get_data(as_text=True)
    assert all(f"{n}号地块" in listed for n in range(1, 11)) and "甘河1号地块" not in listed
