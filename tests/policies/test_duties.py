"""Clauses' duties become reminders through the scheduler, for the unit responsible, each occurrence once."""
from datetime import date

from crm.extensions import db
from crm.jobs.models import Notification
from crm.jobs.runner import run_job
from crm.policies.duties import due_soon
from crm.policies.models import PolicyClause, PolicyDocument
from tests.conftest import make_user

YEARLY = [{"title": "年度考核", "every": "year", "remind": "12-01", "unit": "province"}]


def test_a_yearly_duty_is_due_within_its_lead_time():
    assert [o.due_on for o in due_soon(YEARLY, date(2026, 11, 20))] == [date(2026, 12, 1)]
    assert due_soon(YEARLY, date(2026, 11, 10)) == []
    assert due_soon(YEARLY, date(2026, 12, 2)) == []  # next year's is far off
    assert [o.due_on for o in due_soon(YEARLY, date(2026, 12, 1))] == [date(2026, 12, 1)]


def test_monthly_and_one_off_duties_and_bad_dates():
    monthly = [{"title": "月报", "every": "month", "remind": "5", "lead_days": 3}]
    assert due_soon(monthly, date(2026, 12, 30)) == []  # January's is six days off, lead time three
    assert [o.due_on for o in due_soon(monthly, date(2027, 1, 3))] == [date(2027, 1, 5)]
    once = [{"title": "期限", "every": "once", "remind": "2026-12-31"}]
    assert [o.due_on for o in due_soon(once, date(2026, 12, 20))] == [date(2026, 12, 31)]
    assert due_soon([{"every": "year", "remind": "13-45"}], date(2026, 12, 1)) == []


def _notes(user):
    return db.session.query(Notification).filter_by(user_id=user.id, kind="policy_duty").all()


def test_the_scheduler_reminds_the_seeded_duties_once(seeded):
    manager = make_user("duty_manager", "manager")
    officer = make_user("duty_officer", "officer")
    run = run_job("policy_duties", today=date(2026, 11, 25))
    assert run.outcome == "ok" and run.items >= 2
    titles = [n.title for n in _notes(manager)]
    assert any("工业经济高质量发展年度考核" in t and "2026-12-01" in t for t in titles)
    assert any("承接产业转移目标责任考核" in t for t in titles)
    assert all(n.link.startswith("/policies/") and "#clause-" in n.link for n in _notes(manager))
    assert _notes(officer) == []
    assert run_job("policy_duties", today=date(2026, 11, 25)).items == 0
    assert run_job("policy_duties", today=date(2026, 11, 26)).items == 0
    assert len(_notes(manager)) == len(titles)


def test_a_parks_duty_goes_to_that_parks_staff_and_an_expired_document_asks_nothing(seeded):
    staff = make_user("duty_staff", "park_staff", parks=["NANCHUAN"])
    other = make_user("duty_other", "park_staff", parks=["GANHE"])
    clause = db.session.query(PolicyClause).join(PolicyDocument).filter(PolicyDocument.key == "002").first()
    clause.duties = [{"title": "园区月度报送", "every": "once", "remind": "2026-12-10", "unit": "park:NANCHUAN"}]
    db.session.query(PolicyDocument).filter_by(key="004").one().status = "repealed"
    db.session.commit()
    run_job("policy_duties", today=date(2026, 12, 1))
    assert [n.title for n in _notes(staff)] == ["政策到期事项：园区月度报送（2026-12-10）"]
    assert _notes(other) == []
    manager = make_user("duty_manager2", "manager")
    run_job("policy_duties", today=date(2026, 11, 27))
    assert not any("工业经济高质量发展" in n.title for n in _notes(manager))  # 004 is repealed
