"""The daily digest: one notification per user (in the app and by e-mail) instead of one per warning."""
import email.header
import mailbox
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from crm.auth.models import User
from crm.extensions import db as _db
from crm.jobs import queries
from crm.jobs.kinds import ACTION_TODAY, DAILY_DIGEST
from crm.jobs.models import Notification
from crm.jobs.runner import run_job
from crm.projects.models import Supervision
from crm.projects.stages import Stage
from tests import factories
from tests.conftest import make_user
from tests.jobs.conftest import DAY
from tests.jobs.test_email import smtp_server  # noqa: F401 - the real SMTP server fixture

NOW = datetime(2026, 5, 4, 0, 45, tzinfo=UTC)


def _people():
    officer, manager = make_user("officer_a", "officer"), make_user("leader", "manager")
    staff = make_user("staff_nc", "park_staff", ["NANCHUAN"])
    for user, address in ((officer, "a@example.com"), (manager, "leader@example.com"), (staff, "")):
        user.email = address
    _db.session.commit()
    return officer, manager, staff


def _late_projects(officer, n: int = 3):
    for i in range(n):
        factories.project("NANCHUAN", Stage.signed, name=f"迟开工项目{i + 1}", officer_id=officer.id,
                          planned_start_date=DAY - timedelta(days=40 + i))
    _db.session.commit()


def _shown(user) -> list[Notification]:
    return list(_db.session.scalars(queries.notifications_for(user)))


def _run_morning(day=DAY, now=NOW):
    for job in ("follow_up_reminders", "stale_targets", "lateness_warnings", "daily_digest"):
        run_job(job, today=day, now=now)


def test_warnings_arrive_as_one_digest_per_user_listing_them(seeded):
    officer, manager, staff = _people()
    _late_projects(officer)
    _run_morning()
    for user in (officer, manager, staff):
        shown = _shown(user)
        assert [n.kind for n in shown] == [DAILY_DIGEST], user.username
        assert shown[0].title == "每日摘要 2026-05-04：3 项预警与提醒"
        assert "迟开工项目1 已超过计划开工日期 40 天" in shown[0].body and "迟开工项目3" in shown[0].body
        assert queries.unread_count(user) == 1
    run_job("daily_digest", today=DAY, now=NOW + timedelta(minutes=5))
    assert len(_shown(manager)) == 1  # run twice on a day: written once


def test_the_next_digest_lists_only_what_changed_since(seeded):
    officer, manager, _staff = _people()
    _late_projects(officer, 2)
    _run_morning()
    _run_morning(DAY + timedelta(days=1), NOW + timedelta(days=1))  # same week, nothing new: no digest
    assert len(_shown(manager)) == 1
    factories.project("NANCHUAN", Stage.signed, name="新逾期项目", officer_id=officer.id,
                      planned_start_date=DAY)
    _db.session.commit()
    _run_morning(DAY + timedelta(days=2), NOW + timedelta(days=2))
    newest = _shown(manager)[0]
    assert newest.title == "每日摘要 2026-05-06：1 项预警与提醒" and "新逾期项目" in newest.body
    assert "迟开工项目1" not in newest.body


def test_the_digest_is_emailed_through_a_real_smtp_server(seeded, smtp_server):  # noqa: F811
    officer, _manager, _staff = _people()
    _late_projects(officer)
    _run_morning()
    sent = run_job("dispatch", today=DAY)
    assert sent.outcome == "ok" and sent.items == 2  # the park's staff member has no address
    received = list(mailbox.Maildir(str(smtp_server), create=False))
    by_address = {m["To"]: m for m in received}
    assert set(by_address) == {"a@example.com", "leader@example.com"}
    subject = str(email.header.make_header(email.header.decode_header(by_address["leader@example.com"]["Subject"])))
    assert subject == "每日摘要 2026-05-04：3 项预警与提醒"
    text = by_address["leader@example.com"].get_payload(decode=True).decode()
    assert "迟开工项目2 已超过计划开工日期 41 天" in text


def test_the_owner_of_an_overdue_supervision_item_is_still_told_alone(seeded):
    officer, manager, _staff = _people()
    owner = make_user("owner_unit", "officer")
    project = factories.project("NANCHUAN", Stage.started, name="光伏项目", officer_id=officer.id)
    _db.session.add(Supervision(project_id=project.id, instruction="尽快协调用地", owner_id=owner.id,
                                due_date=DAY - timedelta(days=3)))
    _db.session.commit()
    _run_morning()
    assert [(n.kind, n.title) for n in _shown(owner)] == [(ACTION_TODAY, "光伏项目 的督办事项已逾期：尽快协调用地")]
    assert [n.kind for n in _shown(manager)] == [DAILY_DIGEST]


def test_a_fresh_demo_deployment_starts_with_a_handful_of_unread_notifications(seeded, runner):
    result = runner.invoke(args=["crm", "demo", "--companies", "300", "--today", DAY.isoformat()])
    assert result.exit_code == 0, result.output
    recorded_before = _db.session.scalar(select(Notification.id).limit(1))
    assert recorded_before is None
    _run_morning()
    users = list(_db.session.scalars(select(User).where(User.active.is_(True))))
    warned = _db.session.scalar(select(Notification.id).where(Notification.in_app.is_(False)).limit(1))
    assert warned is not None  # the demo has late projects: the digest had warnings to gather
    worst = max(queries.unread_count(u) for u in users)
    hidden = max(_db.session.scalar(select(func.count()).where(Notification.user_id == u.id,
                                                                Notification.in_app.is_(False))) for u in users)
    assert 1 <= worst <= 20 and hidden > worst, (worst, hidden)  # one digest where there were `hidden` notes
