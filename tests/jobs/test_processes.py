"""Several processes against one database: each reminder is created once; a second scheduler stays idle."""
import subprocess
import time

import pytest
from sqlalchemy import func, select

from crm.jobs.models import JobRun, Notification, SchedulerLease
from tests.jobs.conftest import company_with_follow_up, flask_command, notifications


@pytest.fixture
def postgres_only(database):
    if database[2] != "postgresql":
        pytest.skip("runs on the PostgreSQL pass (concurrent writers need a server database)")


@pytest.mark.slow
def test_concurrent_job_runs_in_many_processes_create_each_reminder_once(
        postgres_only, db, officer, subprocess_env, project_root):
    for n in range(20):
        company_with_follow_up(officer, f"并发测试{n}有限公司")
    db.session.commit()
    command = flask_command("crm", "jobs", "run", "follow_up_reminders", "--date", "2026-05-04")
    for _round in range(2):
        workers = [subprocess.Popen(command, cwd=project_root, env=subprocess_env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True) for _ in range(3)]
        outputs = [w.communicate(timeout=120)[0] for w in workers]
        assert all(w.returncode == 0 for w in workers), outputs
    titles = [n.title for n in notifications(officer)]
    assert len(titles) == 20 and len(set(titles)) == 20
    runs = db.session.scalars(select(JobRun).where(JobRun.job == "follow_up_reminders")).all()
    assert len(runs) == 6 and sum(r.items for r in runs) == 20 and {r.outcome for r in runs} == {"ok"}


def _wait_for_lease(db, timeout=30) -> SchedulerLease:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        lease = db.session.get(SchedulerLease, "scheduler")
        if lease is not None:
            return lease
        time.sleep(0.2)
    raise AssertionError("the scheduler never took the lease")


@pytest.mark.slow
def test_a_second_scheduler_stays_idle_while_the_first_holds_the_lease(db, officer, subprocess_env, project_root):
    company_with_follow_up(officer, "租约测试有限公司")
    db.session.commit()
    first = subprocess.Popen(flask_command("crm", "scheduler", "--lease-seconds", "30"), cwd=project_root,
                             env=subprocess_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        holder = _wait_for_lease(db).holder
        second = subprocess.run(flask_command("crm", "scheduler", "--once", "--date", "2026-05-04"),
                                cwd=project_root, env=subprocess_env, capture_output=True, text=True, timeout=120)
        assert second.returncode == 0 and "idle" in second.stdout, second.stdout + second.stderr
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    finally:
        first.terminate()  # SIGTERM: the scheduler stops and releases its lease
        output = first.communicate(timeout=60)[0]
    assert "scheduler stopped" in output, output[-2000:]
    assert holder.split(":")[1] == str(first.pid)
    third = subprocess.run(flask_command("crm", "scheduler", "--once", "--date", "2026-05-04"),
                           cwd=project_root, env=subprocess_env, capture_output=True, text=True, timeout=120)
    assert third.returncode == 0 and "follow_up_reminders: ok, 1" in third.stdout, third.stdout + third.stderr
    assert [n.title for n in notifications(officer)] == ["今日跟进：租约测试有限公司"]
