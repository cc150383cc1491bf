"""Contact logs (own-log editing, list, follow-ups on the home page) and recruitment trips."""
import io
from datetime import date, timedelta

from openpyxl import load_workbook

from crm.companies import services
from crm.companies.models import Company, ContactLog, Trip
from crm.contacts import services as contact_services
from crm.core.seedfiles import ChangeCounter


def _company(name="接洽测试有限公司"):
    return services.create_company({"name": name}, actor=None)


def test_short_form_adds_a_log_and_officers_edit_only_their_own(login_as, db):
    company = _company()
    db.session.commit()
    mine, other = login_as("officer"), login_as("officer")
    bad = {"date": "2026-03-01", "kind": "拜访", "summary": "x", "next_follow_up": "2026-01-01"}
    refused = mine.post(f"/contacts/companies/{company.id}/logs/new", data=bad)
    assert refused.status_code == 422 and "不能早于" in refused.get_data(as_text=True)
    ok = mine.post(f"/contacts/companies/{company.id}/logs/new", headers={"HX-Request": "true"},
                   data={"date": "2026-03-01", "kind": "拜访", "summary": "谈碳酸锂", "next_step": "报价"})
    assert ok.status_code == 204 and ok.headers["HX-Redirect"].endswith(f"/companies/{company.id}")
    log = db.session.query(ContactLog).one()
    assert log.officer_id == mine.user.id and str(db.session.get(Company, company.id).last_contact_on) == "2026-03-01"
    assert other.get(f"/contacts/logs/{log.id}/edit").status_code == 403
    assert mine.post(f"/contacts/logs/{log.id}/edit", data={"date": "2026-03-05", "kind": "电话",
                                                             "summary": "改"}).status_code == 302
    assert str(db.session.get(Company, company.id).last_contact_on) == "2026-03-05"
    listing = mine.get("/contacts/logs?kind=电话").get_data(as_text=True)
    assert company.name in listing


def test_home_card_lists_due_follow_ups_of_the_newest_log(login_as, db):
    officer = login_as("officer")
    due, later = _company("到期跟进有限公司"), _company("以后跟进有限公司")
    today = date.today()
    contact_services.add_log(due, {"date": today - timedelta(days=9), "kind": "电话", "summary": "a",
                                   "next_follow_up": today - timedelta(days=1)}, actor=officer.user)
    contact_services.add_log(later, {"date": today - timedelta(days=9), "kind": "电话", "summary": "a",
                                     "next_follow_up": today - timedelta(days=2)}, actor=officer.user)
    contact_services.add_log(later, {"date": today, "kind": "拜访", "summary": "b",
                                     "next_follow_up": today + timedelta(days=5)}, actor=officer.user)
    db.session.commit()
    page = officer.get("/home").get_data(as_text=True)
    assert "到期跟进有限公司" in page and "以后跟进有限公司" not in page


def test_trip_with_visits_page_and_export(login_as, db):
    company = _company("出访拜访有限公司")
    db.session.commit()
    officer = login_as("officer")
    response = officer.post("/contacts/trips/new", data={"title": "长三角招商", "leader_name": "王副省长",
                                                         "leader_level": "省", "destination": "上海",
                                                         "start_date": "2026-04-01", "end_date": "2026-04-03"})
    assert response.status_code == 302
    trip = db.session.query(Trip).one()
    missing = officer.post(f"/contacts/trips/{trip.id}/visits", data={"company": "没有这家", "date": "2026-04-01",
                                                                       "kind": "拜访", "summary": "x"})
    assert missing.status_code == 422 and "找不到企业" in missing.get_data(as_text=True)
    visit = {"company": "出访拜访股份有限公司", "date": "2026-04-02", "kind": "拜访", "summary": "=HYPERLINK()"}
    assert officer.post(f"/contacts/trips/{trip.id}/visits", data=visit).status_code == 302
    assert db.session.query(ContactLog).one().company_id == company.id
    assert "出访拜访有限公司" in officer.get(f"/contacts/trips/{trip.id}").get_data(as_text=True)
    sheet = load_workbook(io.BytesIO(officer.get(f"/contacts/trips/{trip.id}/export.xlsx").data)).active
    cell = sheet.cell(row=2, column=6)
    assert cell.value == "=HYPERLINK()" and cell.data_type == "s"


def test_central_soe_seed_is_idempotent(seeded):
    from crm.companies.seed import seed_central_soes

    soes = seeded.session.query(Company).filter_by(ownership="央企").count()
    assert soes == 100
    counter = ChangeCounter()
    seed_central_soes(counter)
    assert not counter.changed
