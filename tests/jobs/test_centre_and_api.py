"""The notification centre, the bell, preferences, the API, and the admins' history and schedule pages."""
from datetime import UTC, datetime

from crm.core.db import utcnow
from crm.jobs import notify
from crm.jobs.kinds import FOLLOW_UP, LATENESS
from crm.jobs.runner import run_job
from tests.jobs.conftest import DAY, company_with_follow_up, notifications


def _note(user, n: int, kind=FOLLOW_UP):
    message = notify.Message(user.id, kind, f"提醒{n}：测试公司{n}", "正文", f"/companies/{n}", f"test:{n}:{user.id}")
    notify.create(message, now=utcnow())


def test_bell_counts_unread_and_centre_marks_read(login_as, db):
    client = login_as("officer")
    for n in range(3):
        _note(client.user, n)
    db.session.commit()
    assert 'data-unread="3"' in client.get("/notifications/").get_data(as_text=True)
    page = client.get("/notifications/?status=unread").get_data(as_text=True)
    assert "提醒0：测试公司0" in page and "提醒2：测试公司2" in page
    first = notifications(client.user)[0]
    response = client.post(f"/notifications/{first.id}/read", data={"open": "1"})
    assert response.status_code == 302 and response.headers["Location"] == "/companies/0"
    second = client.get("/notifications/").get_data(as_text=True)
    assert 'data-unread="2"' in second, second[second.find("<nav"):][:3000]
    client.post("/notifications/read-all")
    assert 'data-unread="0"' in client.get("/notifications/").get_data(as_text=True)
    assert "暂无通知" in client.get("/notifications/?status=unread").get_data(as_text=True)


def test_someone_elses_notification_answers_404(login_as, db):
    owner, other = login_as("officer"), login_as("officer")
    _note(owner.user, 1)
    db.session.commit()
    note = notifications(owner.user)[0]
    assert other.post(f"/notifications/{note.id}/read").status_code == 404
    assert notifications(owner.user)[0].read_at is None


def test_preferences_choose_which_kinds_arrive(login_as, db):
    client = login_as("officer")
    response = client.post("/notifications/preferences", data={f"{LATENESS}__email": "y", f"{FOLLOW_UP}__in_app": "y"})
    assert response.status_code == 302
    _note(client.user, 1, FOLLOW_UP)
    _note(client.user, 2, LATENESS)  # a warning: kept for the daily digest, neither shown nor mailed alone
    _note(client.user, 3, "stale_target")  # both off: not created at all
    db.session.commit()
    kept = {n.title: (n.in_app, n.email) for n in notifications(client.user)}
    assert kept == {"提醒1：测试公司1": (True, False), "提醒2：测试公司2": (False, False)}
    page = client.get("/notifications/").get_data(as_text=True)
    assert "提醒1" in page and "提醒2" not in page


def test_api_lists_own_notifications_with_read_filter_and_marks_read(api_as, db):
    api = api_as("officer")
    company_with_follow_up(api.user, "接口测试有限公司")
    db.session.commit()
    run_job("follow_up_reminders", today=DAY, now=datetime(2026, 5, 4, tzinfo=UTC))
    body = api.get("/api/v1/notifications?status=unread").get_json()
    assert body["total"] == 1 and "接口测试有限公司" in body["items"][0]["title"]
    note_id = body["items"][0]["id"]
    marked = api.post(f"/api/v1/notifications/{note_id}/read")
    assert marked.status_code == 200 and marked.get_json()["read"] is True
    assert api.get("/api/v1/notifications?read=false").get_json()["total"] == 0
    assert api.get("/api/v1/notifications?read=true").get_json()["total"] == 1
    stranger = api_as("officer")
    assert stranger.get("/api/v1/notifications").get_json()["total"] == 0
    assert stranger.post(f"/api/v1/notifications/{note_id}/read").status_code == 404


def test_admin_pages_are_for_admins_and_show_a_failed_runs_error(login_as, db):
    assert login_as("manager").get("/notifications/admin/jobs").status_code == 403
    admin = login_as("admin")
    from crm.core import settings

    settings.put("jobs.stale_days", "thirty")  # a broken setting makes the job fail for real
    db.session.commit()
    failed = run_job("stale_targets", today=DAY)
    assert failed.outcome == "failed" and "ValueError" in failed.error
    page = admin.get("/notifications/admin/jobs").get_data(as_text=True)
    assert "stale_targets" in page and "ValueError" in page and "failed" in page
    settings.put("jobs.stale_days", 30)
    db.session.commit()
    assert run_job("stale_targets", today=DAY).outcome == "ok"  # retried at its next run


def test_schedule_page_validates_and_saves_crontab_lines(login_as, db, runner):
    admin = login_as("admin")
    form = {"stale_days": 30, "yellow_days": 30, "red_days": 90, "funds_report_day": 10,
            "follow_up_reminders": "0 9 * * *", "stale_targets": "10 8 * * *", "lateness_warnings": "20 8 * * *",
            "monthly_snapshot": "0 2 1 * *", "monthly_ledger": "30 2 1 * *", "weekly_summary": "0 8 * * mon",
            "dispatch": "* * * * *", "land_idle_check": "30 8 * * *", "daily_digest": "40 8 * * *"}
    bad = admin.post("/notifications/admin/schedule", data={**form, "follow_up_reminders": "every day"})
    assert bad.status_code == 422 and "计划格式无效" in bad.get_data(as_text=True)
    assert admin.post("/notifications/admin/schedule", data={**form, "monthly_ledger": ""}).status_code == 302
    listed = runner.invoke(args=["crm", "jobs", "list"]).output
    assert "0 9 * * *" in listed and "monthly_ledger         off" in listed
