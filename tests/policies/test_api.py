"""/api/v1/policies and what applies to a project, through the API as its users call it."""
from datetime import date
from decimal import Decimal

from crm.policies.models import PolicyDocument
from tests import factories


def _project(seeded, intensity: str):
    project = factories.project("NANCHUAN", fixed_asset_investment=Decimal(intensity) * 100, land_mu=Decimal(100))
    seeded.session.commit()
    return project


def _land_priority(body):
    return next(i for i in body["items"]
                if i["clause"]["path"] == "七、（十八）" and i["metric"] == "investment_intensity")


def test_list_search_detail_and_clauses(seeded, api_as):
    api = api_as("officer")
    body = api.get("/api/v1/policies?per_page=50").get_json()
    assert body["total"] == 5
    body = api.get("/api/v1/policies?q=投资强度").get_json()
    hit = body["items"][0]["hits"][0]
    assert body["items"][0]["key"] == "002" and "500万元/亩" in hit["text"] and "<mark>" in hit["marked"]
    detail = api.get(f"/api/v1/policies/{hit['document_id']}").get_json()
    assert any(c["path"] == "七、（十八）" for c in detail["clauses"])
    clauses = api.get(f"/api/v1/policies/{hit['document_id']}/clauses").get_json()["items"]
    assert [c["position"] for c in clauses] == sorted(c["position"] for c in clauses)
    assert api.get("/api/v1/policies/999999").status_code == 404


def test_620_meets_the_land_priority_clause_and_300_does_not(seeded, api_as):
    api = api_as("officer")
    high = _land_priority(api.get(f"/api/v1/projects/{_project(seeded, '620').id}/policies").get_json())
    low = _land_priority(api.get(f"/api/v1/projects/{_project(seeded, '300').id}/policies").get_json())
    assert high["met"] is True and high["applies"] is True
    assert high["sentence"].startswith("投资强度 620万元/亩 ＞ 500 → 可优先保障新增建设用地年度计划（002 七、（十八）")
    assert low["met"] is False and low["applies"] is False and "300万元/亩" in low["sentence"]


def test_a_project_without_land_cannot_be_judged(seeded, api_as):
    project = factories.project("NANCHUAN", fixed_asset_investment=Decimal(50000))
    seeded.session.commit()
    item = _land_priority(api_as("officer").get(f"/api/v1/projects/{project.id}/policies").get_json())
    assert item["met"] is None and item["applies"] is False


def test_an_expired_documents_clauses_are_shown_expired_and_do_not_apply(seeded, api_as):
    document = seeded.session.query(PolicyDocument).filter_by(key="002").one()
    document.expires_on = date(2020, 12, 31)
    seeded.session.commit()
    body = api_as("officer").get(f"/api/v1/projects/{_project(seeded, '620').id}/policies").get_json()
    item = _land_priority(body)
    assert item["expired"] is True and item["clause"]["expired"] is True
    assert item["met"] is True and item["applies"] is False


def test_another_parks_staff_cannot_read_the_projects_policies(seeded, api_as):
    project = _project(seeded, "620")
    assert api_as("park_staff", ["GANHE"]).get(f"/api/v1/projects/{project.id}/policies").status_code == 404
    assert api_as("park_staff", ["NANCHUAN"]).get(f"/api/v1/projects/{project.id}/policies").status_code == 200


def test_admins_create_and_edit_documents_others_may_not(seeded, api_as):
    new = {"key": "QH-2024-1", "title": "测试园区用地办法", "level": "park", "parks": ["NANCHUAN"],
           "text": "一、用地\n（一）供地。工业用地按宗供应。\n（二）奖励。投资强度达到标准的给予奖励。"}
    assert api_as("officer").post("/api/v1/policies", json=new).status_code == 403
    admin = api_as("admin")
    created = admin.post("/api/v1/policies", json=new)
    assert created.status_code == 201
    body = created.get_json()
    assert [c["path"] for c in body["clauses"]] == ["一、", "一、（一）", "一、（二）"]
    assert "用地" in body["clauses"][1]["tags"] and "资金奖补" in body["clauses"][2]["tags"]
    changed = admin.patch(f"/api/v1/policies/{body['id']}", json={"status": "repealed", "version": body["version"]})
    assert changed.status_code == 200 and changed.get_json()["expired"] is True
    assert admin.patch(f"/api/v1/policies/{body['id']}", json={"version": 1}).status_code == 409
    clause = body["clauses"][1]
    edited = admin.patch(f"/api/v1/policies/{body['id']}/clauses/{clause['id']}", json={"tags": ["用地", "服务"]})
    assert edited.status_code == 200 and edited.get_json()["tags"] == ["用地", "服务"]
    assert api_as("officer").patch(f"/api/v1/policies/{body['id']}", json={"title": "x"}).status_code == 403


def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(seeded, api_as):
    admin = api_as("admin")
    for body, field in (({"title": "缺简称", "text": "一、x"}, "key"), ({"key": "k", "title": "t"}, "text"),
                        ({"key": "k", "title": "t", "text": "x", "level": "村"}, "level"),
                        ({"key": "002", "title": "t", "text": "x"}, "key"),
                        ({"key": "k", "title": "t", "text": "x", "year": "二〇二四"}, "year")):
        response = admin.post("/api/v1/policies", json=body)
        assert response.status_code in (409, 422), body
        assert field in response.get_json()["error"]["fields"]
    assert seeded.session.query(PolicyDocument).count() == 5
