"""Follow-ups: closed by a later contact from the officer's unit; reminded again when overdue, then escalated."""
from datetime import UTC, date, datetime, timedelta

from crm.agenda.followups import due_for
from crm.companies.models import ContactLog
from crm.core import settings
from crm.extensions import db as _db
from crm.jobs.runner import run_job
from tests import factories
from tests.conftest import make_user
from tests.jobs.conftest import notifications

DUE = date(2026, 5, 4)
NOW = datetime(2026, 5, 4, 0, 30, tzinfo=UTC)


def _user(username: str, role: str, unit: str):
    user = make_user(username, role)
    user.unit, user.display_name = unit, username
    _db.session.commit()
    return user


def _log(company, officer, day: date, follow_up: date | None = None) -> ContactLog:
    log = ContactLog(company_id=company.id, date=day, kind="电话", officer_id=officer.id, summary="电话沟通",
                     next_step="寄送园区资料", next_follow_up=follow_up)
    _db.session.add(log)
    _db.session.commit()
    return log


def test_a_later_contact_by_a_colleague_of_the_same_unit_closes_the_follow_up(db):
    wang = _user("wang", "officer", "省招商局一处")
    colleague = _user("chen", "officer", "省招商局一处")
    stranger = _user("zhao", "officer", "海东工业园区管委会")
    closed, still_open = factories.company("蓝昌物流有限公司"), factories.company("青海盐湖化工有限公司")
    _log(closed, wang, date(2026, 4, 1), follow_up=DUE)
    _log(still_open, wang, date(2026, 4, 1), follow_up=DUE)
    _log(closed, colleague, date(2026, 4, 20))  # the unit called the company again: nothing left to follow up
    _log(still_open, stranger, date(2026, 4, 20))  # another unit's call does not answer for 一处
    run_job("follow_up_reminders", today=DUE, now=NOW)
    assert [n.title for n in notifications(wang)] == ["今日跟进：青海盐湖化工有限公司"]
    logs, total = due_for(wang, today=DUE)
    assert [log.company.name for log in logs] == ["青海盐湖化工有限公司"] and total == 1


def test_an_earlier_contact_the_same_day_does_not_close_a_later_follow_up(db):
    wang = _user("wang", "officer", "一处")
    company = factories.company("德令哈光伏有限公司")
    _log(company, wang, DUE - timedelta(days=2))
    _log(company, wang, DUE - timedelta(days=2), follow_up=DUE)  # entered after the first log of that day
    run_job("follow_up_reminders", today=DUE, now=NOW)
    assert [n.title for n in notifications(wang)] == ["今日跟进：德令哈光伏有限公司"]


def test_overdue_follow_ups_are_reminded_after_3_7_and_14_days_then_escalated_to_the_units_manager(db):
    wang = _user("wang", "officer", "一处")
    boss = _user("li_boss", "manager", "一处")
    other_boss = _user("he_boss", "manager", "二处")
    _log(factories.company("格尔木储能有限公司"), wang, date(2026, 4, 1), follow_up=DUE)
    seen = {}
    for day in range(0, 30):
        run_job("follow_up_reminders", today=DUE + timedelta(days=day), now=NOW + timedelta(days=day))
        seen[day] = len(notifications(wang))
    titles = [n.title for n in notifications(wang)]
    assert titles == ["今日跟进：格尔木储能有限公司", "跟进已逾期 3 天：格尔木储能有限公司",
                      "跟进已逾期 7 天：格尔木储能有限公司", "跟进已逾期 14 天：格尔木储能有限公司"]
    assert [seen[d] for d in (0, 2, 3, 6, 7, 13, 14, 29)] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert [n.title for n in notifications(boss)] == ["wang 的跟进已逾期 21 天：格尔木储能有限公司"]
    assert notifications(other_boss) == []  # the officer's own unit's manager, not every manager


def test_the_reminder_steps_are_settings_and_a_late_run_still_catches_a_step(db):
    wang = _user("wang", "officer", "")
    boss = _user("li_boss", "manager", "")
    settings.put("jobs.follow_up_repeat_days", [2])
    settings.put("jobs.follow_up_escalate_days", 5)
    _db.session.commit()
    _log(factories.company("海东陶瓷有限公司"), wang, date(2026, 4, 1), follow_up=DUE)
    run_job("follow_up_reminders", today=DUE + timedelta(days=3), now=NOW)  # the day-2 run was missed
    run_job("follow_up_reminders", today=DUE + timedelta(days=6), now=NOW)
    assert [n.title for n in notifications(wang)] == ["跟进已逾期 3 天：海东陶瓷有限公司"]
    # no unit: every manager hears of it
    assert [n.title for n in notifications(boss)] == ["wang 的跟进已逾期 6 天：海东陶瓷有限公司"]


def test_a_contact_after_the_due_day_stops_the_reminders(db):
    wang = _user("wang", "officer", "一处")
    company = factories.company("西宁特钢有限公司")
    _log(company, wang, date(2026, 4, 1), follow_up=DUE)
    _log(company, wang, DUE + timedelta(days=1))
    for day in range(0, 25):
        run_job("follow_up_reminders", today=DUE + timedelta(days=day), now=NOW)
    assert notifications(wang) == []  # the run on the due day saw the later log already entered
