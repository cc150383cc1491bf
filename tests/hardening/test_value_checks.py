"""Values a record cannot sensibly hold are refused with a message (422), on pages and in the API alike:
a contact in the future, a problem raised before 1949, a list where a text goes, names longer than their
column; nothing is written."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from crm.companies import services as company_services
from crm.companies.models import CompanyTier, ContactLog
from crm.core.db import utcnow
from crm.core.formatting import local_today
from crm.projects.models import FundsEntry, Problem
from crm.projects.stages import Stage
from tests import factories as f


@pytest.fixture
def company(db):
    row = company_services.create_company({"name": "取值检查有限公司"}, actor=None)
    db.session.commit()
    return row


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1948-12-31"])
def test_a_contact_log_dated_out_of_range_is_refused_in_page_and_api(login_as, api_as, company, db, day):
    log = {"date": day, "kind": "拜访", "summary": "洽谈"}
    page = login_as("officer").post(f"/contacts/companies/{company.id}/logs/new", data=log)
    api = api_as("officer").post(f"/api/v1/companies/{company.id}/logs", json=log)
    assert (page.status_code, api.status_code) == (422, 422)
    assert "接洽日期应在" in page.get_data(as_text=True) and "date" in api.get_json()["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(ContactLog)) == 0


def test_a_contact_today_and_a_follow_up_next_year_are_accepted(api_as, company):
    today = local_today(utcnow())
    answer = api_as("officer").post(f"/api/v1/companies/{company.id}/logs", json={
        "date": today.isoformat(), "kind": "电话", "summary": "约访",
        "next_follow_up": (today + timedelta(days=365)).isoformat()})
    assert answer.status_code == 201


def test_problems_refuse_odd_dates_lists_and_overlong_text(api_as, seeded, company, db):
    project = f.project("NANCHUAN", Stage.signed, company_id=company.id)
    db.session.commit()
    api = api_as("manager")
    url = f"/api/v1/projects/{project.id}/problems"
    tomorrow = (local_today(utcnow()) + timedelta(days=1)).isoformat()
    refused = {
        "raised 0001": api.post(url, json={"description": "用地", "raised_on": "0001-01-01"}),
        "raised tomorrow": api.post(url, json={"description": "用地", "raised_on": tomorrow}),
        "due 9999": api.post(url, json={"description": "用地", "due_date": "9999-12-31"}),
        "description list": api.post(url, json={"description": ["d"]}),
        "unit too long": api.post(url, json={"description": "用地", "responsible_unit": "局" * 121}),
    }
    assert {k: r.status_code for k, r in refused.items()} == dict.fromkeys(refused, 422)
    assert db.session.scalar(select(func.count()).select_from(Problem)) == 0
    assert api.post(url, json={"description": "用地", "raised_on": "2025-05-01"}).status_code == 201


def test_tier_names_and_years_fit_their_columns(api_as, login_as, db):
    api = api_as("officer")
    long_name = api.post("/api/v1/companies", json={"name": "榜单甲有限公司", "tiers": [{"tier": "强" * 500}]})
    old_year = api.post("/api/v1/companies", json={"name": "榜单乙有限公司",
                                                   "tiers": [{"tier": "中国500强", "year": 1066}]})
    page = login_as("officer").post("/companies/new", data={"name": "榜单丙有限公司", "ownership": "民企",
                                                            "industry_id": "0", "officer_id": "0",
                                                            "tiers": "强" * 500})
    assert (long_name.status_code, old_year.status_code, page.status_code) == (422, 422, 422)
    assert db.session.scalar(select(func.count()).select_from(CompanyTier)) == 0


def test_a_funds_period_of_year_zero_is_refused(api_as, seeded, company, db):
    project = f.project("NANCHUAN", Stage.signed, company_id=company.id)
    db.session.commit()
    answer = api_as("manager").post(f"/api/v1/projects/{project.id}/funds",
                                    json={"period": "0000-01", "amount": "10", "source": "自有"})
    assert answer.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(FundsEntry)) == 0
