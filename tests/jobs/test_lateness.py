"""Lateness warnings reach the officer, the park's staff and the managers once; colours follow the settings."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from crm.core import settings
from crm.core.db import utcnow
from crm.extensions import db as _db
from crm.jobs.runner import run_job
from crm.projects.models import FundsEntry, Problem, Project, Supervision
from crm.projects.stages import Stage
from tests import factories
from tests.conftest import make_user
from tests.jobs.conftest import DAY, notifications

NOW = datetime(2026, 5, 4, 1, 0, tzinfo=UTC)


def _people():
    return (make_user("officer_a", "officer"), make_user("staff_nc", "park_staff", ["NANCHUAN"]),
            make_user("staff_gh", "park_staff", ["GANHE"]), make_user("leader", "manager"))


def test_late_start_warns_officer_park_staff_and_managers_once_and_turns_yellow(seeded):
    officer, staff, other_staff, manager = _people()
    project = factories.project("NANCHUAN", Stage.signed, name="碳酸锂项目", officer_id=officer.id,
                                planned_start_date=DAY - timedelta(days=40))
    seeded.session.commit()
    assert run_job("lateness_warnings", today=DAY, now=NOW).items == 3
    assert run_job("lateness_warnings", today=DAY, now=NOW).items == 0
    for user in (officer, staff, manager):
        assert [n.title for n in notifications(user)] == ["碳酸锂项目 已超过计划开工日期 40 天"]
        assert notifications(user)[0].link == f"/projects/{project.id}"
    assert notifications(other_staff) == []
    _db.session.expire_all()
    assert _db.session.get(Project, project.id).status_color == "yellow"


def test_status_colours_follow_the_day_thresholds(seeded):
    on_time = factories.project("NANCHUAN", Stage.signed, planned_start_date=DAY + timedelta(days=5))
    late = factories.project("NANCHUAN", Stage.preparing, planned_start_date=DAY - timedelta(days=100))
    producing = factories.project("NANCHUAN", Stage.producing, planned_start_date=DAY - timedelta(days=400))
    lead = factories.project("NANCHUAN", Stage.lead, planned_start_date=DAY - timedelta(days=400))
    seeded.session.commit()
    run_job("lateness_warnings", today=DAY, now=NOW)
    _db.session.expire_all()
    colours = [_db.session.get(Project, p.id).status_color for p in (on_time, late, producing, lead)]
    assert colours == ["green", "red", "green", ""]
    settings.put("jobs.red_days", 120)
    seeded.session.commit()
    run_job("lateness_warnings", today=DAY, now=NOW)
    _db.session.expire_all()
    assert _db.session.get(Project, late.id).status_color == "yellow"


def test_missing_funds_report_warns_after_the_due_day_once_a_month(seeded):
    officer, *_rest = _people()
    silent = factories.project("NANCHUAN", Stage.started, name="未报资金项目", officer_id=officer.id)
    reported = factories.project("NANCHUAN", Stage.started, name="已报资金项目", officer_id=officer.id)
    seeded.session.add(FundsEntry(project_id=reported.id, period=date(2026, 4, 1), amount=Decimal("100")))
    seeded.session.commit()
    assert run_job("lateness_warnings", today=date(2026, 5, 9), now=NOW).items == 0  # due by the 10th
    run_job("lateness_warnings", today=date(2026, 5, 10), now=NOW)
    run_job("lateness_warnings", today=date(2026, 5, 20), now=NOW)  # another week, same month: still once
    titles = [n.title for n in notifications(officer)]
    assert titles == ["未报资金项目 未报送 2026-04 到位资金"]
    assert silent.id != reported.id


def test_overdue_problem_and_supervision_warn_including_the_supervision_owner(seeded):
    officer, staff, _other, manager = _people()
    owner = make_user("owner_unit", "officer")
    project = factories.project("NANCHUAN", Stage.started, name="光伏项目", officer_id=officer.id)
    seeded.session.add_all([
        Problem(project_id=project.id, description="用电指标未落实", raised_on=date(2026, 3, 1),
                due_date=DAY - timedelta(days=1)),
        Problem(project_id=project.id, description="已解决的问题", raised_on=date(2026, 3, 1),
                due_date=DAY - timedelta(days=1), status="solved"),
        Supervision(project_id=project.id, instruction="尽快协调用地", owner_id=owner.id,
                    due_date=DAY - timedelta(days=3)),
        Supervision(project_id=project.id, instruction="已办结", due_date=DAY - timedelta(days=3), closed_at=utcnow()),
        FundsEntry(project_id=project.id, period=date(2026, 4, 1), amount=Decimal("10")),
    ])
    seeded.session.commit()
    run_job("lateness_warnings", today=DAY, now=NOW)
    assert {n.title for n in notifications(manager)} == {"光伏项目 的问题已逾期：用电指标未落实",
                                                        "光伏项目 的督办事项已逾期：尽快协调用地"}
    assert [n.title for n in notifications(owner)] == ["光伏项目 的督办事项已逾期：尽快协调用地"]
    assert len(notifications(staff)) == 2
