"""Monday's manager summary, and the month-start jobs that depend on other domains."""
import importlib.util
from datetime import UTC, date, datetime

from crm.companies.models import ContactLog
from crm.jobs.runner import run_job
from crm.jobs.tasks.monthly import ledger_path
from crm.projects.models import StageChange
from crm.projects.stages import Stage
from tests import factories
from tests.conftest import make_user
from tests.jobs.conftest import DAY, notifications


def test_weekly_summary_counts_last_week_for_each_manager_once(seeded):
    managers = [make_user("leader_1", "manager"), make_user("leader_2", "manager")]
    officer = make_user("officer_w", "officer")
    company = factories.company("汇总测试公司")
    for day in (date(2026, 4, 27), date(2026, 5, 3), date(2026, 5, 4)):  # two last week, one this week
        seeded.session.add(ContactLog(company_id=company.id, date=day, officer_id=officer.id))
    project = factories.project("NANCHUAN", Stage.lead, created_at=datetime(2026, 4, 29, 2, tzinfo=UTC))
    seeded.session.add(StageChange(project_id=project.id, from_stage=Stage.lead, to_stage=Stage.signed,
                                   at=datetime(2026, 4, 30, 3, tzinfo=UTC)))
    seeded.session.commit()
    assert run_job("weekly_summary", today=DAY, now=datetime(2026, 5, 4, 0, tzinfo=UTC)).items == 2
    assert run_job("weekly_summary", today=DAY, now=datetime(2026, 5, 4, 0, tzinfo=UTC)).items == 0
    note = notifications(managers[0])[0]
    assert note.title == "上周工作汇总（2026-04-27 至 2026-05-03）"
    assert "新增接洽记录 2 条" in note.body and "新增项目 1 个" in note.body and "签约 1" in note.body
    assert notifications(officer) == []


def test_month_start_jobs_run_or_say_why_they_were_skipped(db):
    snapshot = run_job("monthly_snapshot", today=date(2026, 5, 1))
    if importlib.util.find_spec("crm.metrics.services") is None:
        assert (snapshot.outcome, snapshot.error) == ("skipped", "metrics not available")
    else:
        assert snapshot.outcome in ("ok", "skipped"), snapshot.error
    ledger = run_job("monthly_ledger", today=date(2026, 5, 1))
    if ledger.outcome == "ok":
        assert ledger_path(date(2026, 4, 1)).stat().st_size > 0
    else:
        assert (ledger.outcome, ledger.error) == ("skipped", "ledger not available")
