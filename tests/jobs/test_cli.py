"""`crm jobs list` and `crm jobs run NAME --date D` as operators (and the interface check) use them."""
from crm.jobs.models import JobRun
from tests.jobs.conftest import company_with_follow_up, notifications


def test_list_prints_one_job_per_line_name_first(runner):
    lines = runner.invoke(args=["crm", "jobs", "list"]).output.splitlines()
    assert len(lines) >= 7
    assert lines[0].split()[0] == "follow_up_reminders"


def test_run_for_a_date_twice_creates_one_reminder_and_records_both_runs(runner, db, officer):
    company_with_follow_up(officer, "命令行测试公司")
    db.session.commit()
    for _ in range(2):
        result = runner.invoke(args=["crm", "jobs", "run", "follow_up_reminders", "--date", "2026-05-04"])
        assert result.exit_code == 0, result.output
    assert "ok, 0 item(s)" in result.output
    assert [n.title for n in notifications(officer)] == ["今日跟进：命令行测试公司"]
    runs = db.session.query(JobRun).order_by(JobRun.id).all()
    assert [(r.outcome, r.items, str(r.run_for)) for r in runs] == [("ok", 1, "2026-05-04"), ("ok", 0, "2026-05-04")]


def test_run_refuses_unknown_job_and_bad_date(runner, db):
    assert runner.invoke(args=["crm", "jobs", "run", "nope"]).exit_code != 0
    result = runner.invoke(args=["crm", "jobs", "run", "stale_targets", "--date", "04/05/2026"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
