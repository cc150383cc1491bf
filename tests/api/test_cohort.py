"""A fair's cohort entered and read through the API alone: the event, its signing in one all-or-nothing call,
stage moves, funds, and the cohort's rates with two decimals beside their numerators and denominators."""
from sqlalchemy import func, select

from crm.companies.models import Company
from crm.events.models import Event
from crm.projects.models import Project

SIGNINGS = [
    {"company_name": "青海接口锂业有限公司", "project_name": "碳酸锂项目", "park": "NANCHUAN",
     "agreed_investment": "3000"},
    {"company_name": "青海接口锂业有限公司", "project_name": "氢氧化锂项目", "park": "NANCHUAN",
     "agreed_investment": "2000.5"},
    {"company_name": "西宁接口光伏有限公司", "project_name": "光伏组件项目", "park": "GANHE",
     "agreed_investment": "1000"},
]


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_fairs_cohort_entered_and_its_rates_read_through_the_api(seeded, api_as):
    api = api_as("officer")
    created = api.post("/api/v1/events", json={"name": "2025青洽会", "type": "青洽会", "year": 2025,
                                               "start_date": "2025-06-10", "end_date": "2025-06-12"})
    assert created.status_code == 201 and created.headers["Location"] == f"/api/v1/events/{created.json['id']}"
    event_id = created.json["id"]
    signed = api.post(f"/api/v1/events/{event_id}/signings", json={"projects": SIGNINGS})
    assert signed.status_code == 201, signed.json
    projects = {p["name"]: p for p in signed.json["items"]}
    assert {p["stage"] for p in projects.values()} == {"signed"}
    assert projects["碳酸锂项目"]["company"]["id"] == projects["氢氧化锂项目"]["company"]["id"]  # one company
    first = projects["碳酸锂项目"]["id"]
    park = api_as("park_staff", parks=["NANCHUAN", "GANHE"])  # the parks follow the projects up after signing
    for to, day in (("preparing", "2025-07-01"), ("started", "2025-08-01")):
        moved = park.post(f"/api/v1/projects/{first}/transitions", json={"to": to, "date": day})
        assert moved.status_code == 201, moved.json
    assert park.post(f"/api/v1/projects/{projects['光伏组件项目']['id']}/transitions",
                    json={"to": "preparing", "date": "2025-07-15"}).status_code == 201
    funds = park.post(f"/api/v1/projects/{first}/funds", json={"period": "2025-09", "amount": "1200.25"})
    assert funds.status_code == 201 and funds.json["amount"] == "1200.25"

    metrics = api.get(f"/api/v1/metrics?event={event_id}")
    assert metrics.status_code == 200
    body = metrics.json
    assert body["start_rate"] == {"numerator": 1, "denominator": 3, "value": 33.33, "text": "33.33%"}
    assert body["performance_rate"] == {"numerator": 2, "denominator": 3, "value": 66.67, "text": "66.67%"}
    # 1200.25 of 6000.5 agreed: money stays exact decimal text, the rate a number with two decimals
    assert body["funds_arrival_rate"] == {"numerator": "1200.25", "denominator": "6000.5", "value": 20.0,
                                          "text": "20.00%"}
    assert body["totals"]["agreed_investment"] == "6000.5"
    assert api.get(f"/api/v1/events/{event_id}").json["version"] == 1


def test_signing_a_cohort_is_all_or_nothing(seeded, api_as):
    api = api_as("manager")
    event_id = api.post("/api/v1/events", json={"name": "央企青海行", "type": "SOE-QH", "year": 2025,
                                                "start_date": "2025-05-01"}).json["id"]
    companies = _count(seeded, Company)
    rows = [*SIGNINGS[:2], {**SIGNINGS[2], "park": "NO_SUCH_PARK"}, {**SIGNINGS[2], "agreed_investment": "-5"}]
    refused = api.post(f"/api/v1/events/{event_id}/signings", json={"projects": rows})
    assert refused.status_code == 422 and refused.headers["Content-Type"].startswith("application/problem+json")
    assert set(refused.json["errors"]) == {"projects[2]", "projects[3]"}
    assert "园区不存在" in refused.json["errors"]["projects[2]"]
    assert _count(seeded, Project) == 0 and _count(seeded, Company) == companies  # the good rows were not written
    accepted = api.post(f"/api/v1/events/{event_id}/signings", json={"projects": SIGNINGS})
    assert accepted.status_code == 201 and accepted.json["total"] == 3
    again = api.post(f"/api/v1/events/{event_id}/signings", json={"projects": SIGNINGS[:1]})
    assert again.status_code == 422 and "同名项目" in again.json["errors"]["projects[0]"]
    assert _count(seeded, Project) == 3


def test_event_edit_delete_and_who_may(seeded, api_as):
    api = api_as("officer")
    event = api.post("/api/v1/events", json={"name": "藏毯节", "type": "CARPET", "year": 2025}).json
    bad = api.post("/api/v1/events", json={"name": "", "type": "NOPE", "year": 1800})
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"name", "type_id", "year"}
    renamed = api.patch(f"/api/v1/events/{event['id']}", json={"place": "西宁", "version": event["version"]})
    assert renamed.status_code == 200 and renamed.json["place"] == "西宁" and renamed.json["version"] == 2
    stale = api.patch(f"/api/v1/events/{event['id']}", json={"place": "格尔木", "version": event["version"]})
    assert stale.status_code == 409 and seeded.session.get(Event, event["id"]).place == "西宁"
    staff = api_as("park_staff", parks=["GANHE"])
    assert staff.post("/api/v1/events", json={"name": "x", "type": "CARPET", "year": 2025}).status_code == 403
    assert api.delete(f"/api/v1/events/{event['id']}").status_code == 428  # neither If-Match nor version
    etag = api.get(f"/api/v1/events/{event['id']}").headers["ETag"]
    assert api.delete(f"/api/v1/events/{event['id']}", headers={"If-Match": etag}).status_code == 204
    assert api.get(f"/api/v1/events/{event['id']}").status_code == 404
