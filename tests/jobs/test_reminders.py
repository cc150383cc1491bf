"""Follow-up reminders and stale targets, with a frozen day: each appears once, however often the job runs."""
from datetime import UTC, date, datetime, timedelta

from crm.core import settings
from crm.jobs.registry import JOBS
from crm.jobs.runner import run_job
from tests import factories
from tests.conftest import make_user
from tests.jobs.conftest import DAY, company_with_follow_up, notifications

NOW = datetime(2026, 5, 4, 0, 30, tzinfo=UTC)


def test_follow_up_due_today_reminds_the_officer_once(db, officer):
    company_with_follow_up(officer, "青海锂业科技有限公司")
    company_with_follow_up(officer, "明日跟进有限公司", follow_up=DAY + timedelta(days=1))
    db.session.commit()
    first = run_job("follow_up_reminders", today=DAY, now=NOW)
    second = run_job("follow_up_reminders", today=DAY, now=NOW)
    notes = notifications(officer)
    assert [n.title for n in notes] == ["今日跟进：青海锂业科技有限公司"]
    assert notes[0].body == "寄送园区资料" and notes[0].link.startswith("/companies/")
    assert (first.outcome, first.items, second.outcome, second.items) == ("ok", 1, "ok", 0)


def test_follow_up_goes_to_each_logs_officer_and_skips_inactive_users(db, officer):
    other = make_user("officer_li", "officer")
    company_with_follow_up(officer, "甲公司")
    company_with_follow_up(other, "乙公司")
    gone = make_user("officer_gone", "officer")
    company_with_follow_up(gone, "丙公司")
    gone.active = False
    db.session.commit()
    run_job("follow_up_reminders", today=DAY, now=NOW)
    assert [n.title for n in notifications(officer)] == ["今日跟进：甲公司"]
    assert [n.title for n in notifications(other)] == ["今日跟进：乙公司"]
    assert notifications(gone) == []


def test_stale_targets_once_a_week_and_threshold_is_a_setting(db, officer):
    long_ago = datetime(2025, 1, 1, tzinfo=UTC)
    factories.company("久未联系公司", officer_id=officer.id, last_contact_on=DAY - timedelta(days=45))
    factories.company("最近联系公司", officer_id=officer.id, last_contact_on=DAY - timedelta(days=10))
    factories.company("从未联系公司", officer_id=officer.id, created_at=long_ago)
    factories.company("新建未联系公司", officer_id=officer.id)  # created just now: not stale yet
    factories.company("无人负责公司", last_contact_on=date(2025, 1, 1))
    db.session.commit()
    assert run_job("stale_targets", today=DAY, now=NOW).items == 2
    assert run_job("stale_targets", today=DAY + timedelta(days=2), now=NOW).items == 0  # same week
    titles = sorted(n.title for n in notifications(officer))
    assert titles == ["久未联系公司 已 45 天未联系", "从未联系公司 从未联系"]
    assert run_job("stale_targets", today=DAY + timedelta(days=7), now=NOW).items == 2  # next week
    settings.put("jobs.stale_days", 7)
    db.session.commit()
    assert run_job("stale_targets", today=DAY + timedelta(days=7), now=NOW).items == 1  # 最近联系公司 now too


def test_every_job_is_registered_with_a_valid_default_schedule():
    from crm.jobs.registry import cron_error

    assert {"follow_up_reminders", "stale_targets", "lateness_warnings", "monthly_snapshot", "monthly_ledger",
            "weekly_summary", "dispatch"} <= set(JOBS)
    assert all(cron_error(spec.default_cron) is None for spec in JOBS.values())
