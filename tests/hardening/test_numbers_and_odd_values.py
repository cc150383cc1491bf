"""Integers past what a column holds, Unicode digits and odd types answer 404 or 422, never 500: in every
route's ids, in the list filters, in JSON bodies; and the other inputs that once broke a request."""
import re

import pytest
from sqlalchemy import select

from crm.companies import services as company_services
from crm.projects.models import FundsEntry
from crm.projects.stages import Stage
from tests import factories as f
from tests.conftest import PASSWORD

HUGE = 2**63 + 1
ODD_INTEGERS = [str(HUGE), str(2**31), "²", "١", "-1", "1e3"]
FILTER_KEYS = ["officer", "industry", "event", "stale_days", "company_id", "timeline", "top", "link", "company",
               "page", "per_page", "after", "park"]


def _routes(app, *, with_ids: bool):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        has_ids = any(type(c).__name__ == "IdConverter" or "int" in type(c).__name__.lower()
                      for c in rule._converters.values())
        if has_ids == with_ids:
            yield rule


def _client_for(rule, page, api):
    return api if rule.rule.startswith("/api/") else page


def test_every_route_answers_404_for_an_id_past_the_column(app, login_as, api_as, seeded):
    page, api = login_as("manager"), api_as("manager")
    answers = {}
    for rule in _routes(app, with_ids=True):
        url = re.sub(r"<int:[a-z_]+>", str(HUGE), rule.rule)
        url = re.sub(r"<[a-z_:]+>", "NANCHUAN", url)
        method = "get" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0].lower()
        answers[f"{method.upper()} {url}"] = getattr(_client_for(rule, page, api), method)(url).status_code
    assert len(answers) > 50
    # a path that also has a GET may answer 405 to another method: refused either way
    assert {k: v for k, v in answers.items() if v != 404 and not (v == 405 and not k.startswith("GET"))} == {}


@pytest.mark.parametrize("value", ODD_INTEGERS)
def test_no_list_filter_answers_500_for_an_odd_integer(app, login_as, api_as, seeded, value):
    page, api = login_as("manager"), api_as("manager")
    query = "&".join(f"{key}={value}" for key in FILTER_KEYS)
    broken = {}
    for rule in _routes(app, with_ids=False):
        if "GET" not in rule.methods or "<" in rule.rule:
            continue
        status = _client_for(rule, page, api).get(f"{rule.rule}?{query}").status_code
        if status >= 500:
            broken[rule.rule] = status
    assert broken == {}


def test_an_integer_filter_past_the_column_is_refused_with_a_message(login_as, api_as, seeded):
    page, api = login_as("manager"), api_as("manager")
    listing = page.get(f"/companies/?officer={HUGE}")
    assert listing.status_code == 422 and "officer" in listing.get_data(as_text=True)
    assert api.get(f"/api/v1/projects?industry={HUGE}").status_code == 422
    assert page.get("/contacts/logs?officer=²").status_code == 422
    assert page.get("/companies/?stale_days=30").status_code == 200


def test_json_bodies_refuse_integers_past_the_column(api_as, seeded, db):
    api = api_as("manager")
    company = company_services.create_company({"name": "边界测试有限公司"}, actor=None)
    project = f.project("NANCHUAN", Stage.signed, company_id=company.id)
    db.session.commit()
    sent = {
        "company industry_id": api.post("/api/v1/companies", json={"name": "甲有限公司", "industry_id": HUGE}),
        "company tier year": api.post("/api/v1/companies", json={"name": "乙有限公司",
                                                                 "tiers": [{"tier": "中国500强", "year": HUGE}]}),
        "log contact_ids": api.post(f"/api/v1/companies/{company.id}/logs",
                                    json={"date": "2026-03-01", "kind": "拜访", "summary": "x",
                                          "contact_ids": [HUGE]}),
        "project jobs": api.post("/api/v1/projects", json={"name": "丙项目", "company_id": company.id,
                                                           "park": "NANCHUAN", "jobs": HUGE}),
        "funds corrects": api.post(f"/api/v1/projects/{project.id}/funds",
                                   json={"period": "2026-03", "amount": "10", "source": "自有", "corrects": HUGE}),
        "funds corrects ²": api.post(f"/api/v1/projects/{project.id}/funds",
                                     json={"period": "2026-03", "amount": "10", "source": "自有", "corrects": "²"}),
    }
    assert {k: r.status_code for k, r in sent.items()} == {k: 404 if "corrects" in k else 422 for k in sent}
    assert db.session.scalar(select(FundsEntry.id)) is None


@pytest.mark.parametrize("version", ["abc", [1], HUGE, "²"])
def test_a_version_that_is_no_count_is_refused(api_as, login_as, seeded, db, version):
    api = api_as("manager")
    company = company_services.create_company({"name": "版本测试有限公司"}, actor=None)
    project = f.project("NANCHUAN", Stage.lead, company_id=company.id)
    db.session.commit()
    assert api.patch(f"/api/v1/companies/{company.id}", json={"notes": "x", "version": version}).status_code == 422
    assert api.patch(f"/api/v1/projects/{project.id}", json={"notes": "x", "version": version}).status_code == 422
    page = login_as("manager")
    form = {"name": company.name, "ownership": "民企", "industry_id": "0", "officer_id": "0", "version": str(version)}
    answer = page.post(f"/companies/{company.id}/edit", data=form)
    assert answer.status_code == 422 and "version" in answer.get_data(as_text=True)


def test_the_dashboard_refuses_a_date_out_of_range_and_login_ignores_a_next_with_a_newline(client, login_as, seeded):
    manager = login_as("manager")
    assert manager.get("/dashboard/?from=0001-01-01").status_code == 400
    assert manager.get("/dashboard/?to=9999-12-31").status_code == 400
    assert manager.get("/dashboard/?from=2025-01-01").status_code == 200
    from tests.conftest import make_user

    make_user("next_tester", "officer")
    answer = client.post("/login?next=/home%0D%0AX:+y", data={"username": "next_tester", "password": PASSWORD})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/home")
    assert "X" not in answer.headers
