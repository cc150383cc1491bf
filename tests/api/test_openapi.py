"""The OpenAPI document: valid 3.1, every /api/v1 route in it with its parameters, request and answer schemas,
and real answers of the endpoints validating against the schemas it gives them."""
import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from tests import factories

# blueprints whose every view declares its schemas (the others' views get an open object)
DECLARED = ("api", "companies_api", "projects_api", "events_api", "metrics_api", "parks_api", "jobs_api",
            "api_docs", "auth_api", "webhooks_api", "followup_api")


@pytest.fixture
def document(seeded, client, api_as):
    assert client.get("/api/v1/openapi.json").status_code == 401  # for signed-in users and tokens only
    answer = api_as("park_staff", parks=["GANHE"]).get("/api/v1/openapi.json")
    assert answer.status_code == 200
    return answer.json


def _path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_the_document_is_valid_openapi_3_1_and_lists_every_route(app, document):
    validate(document)
    assert document["openapi"].startswith("3.1")
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = _path(rule.rule)
        assert path in document["paths"], rule.rule
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = document["paths"][path][method.lower()]
            names = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert names == set(re.findall(r"\{([a-z_]+)\}", path)), (rule.rule, method)
            if method in ("POST", "PATCH", "PUT"):
                assert operation["requestBody"]["content"]["application/json"]["schema"], (rule.rule, method)
            ok = [s for s in operation["responses"] if s.startswith("2")]
            assert ok and (ok[0] == "204" or operation["responses"][ok[0]]["content"]), (rule.rule, method)
            assert "application/problem+json" in operation["responses"]["404"]["content"]
            if rule.endpoint.split(".")[0] in DECLARED:
                assert hasattr(app.view_functions[rule.endpoint], "api_doc"), rule.endpoint


def _check(document, answer, path: str, method: str = "get") -> None:
    status = answer.status_code
    content = document["paths"][path][method]["responses"][str(status)]["content"]
    # the document's components beside the answer's schema, so that its #/components/... references resolve
    schema = {**next(iter(content.values()))["schema"], "components": document["components"]}
    errors = list(Draft202012Validator(schema).iter_errors(answer.json))
    assert not errors, (path, method, [e.message for e in errors[:3]])


def test_recorded_answers_validate_against_their_schemas(seeded, api_as, document):
    api = api_as("manager")
    company = factories.company("文档测试有限公司")
    seeded.session.commit()
    answers = []
    event = api.post("/api/v1/events", json={"name": "文档测试会", "type": "QINGQIA", "year": 2025,
                                             "start_date": "2025-06-01"})
    answers.append((event, "/api/v1/events", "post"))
    signed = api.post(f"/api/v1/events/{event.json['id']}/signings", json={"projects": [
        {"company_id": company.id, "project_name": "文档项目", "park": "NANCHUAN", "agreed_investment": "100"}]})
    answers.append((signed, "/api/v1/events/{event_id}/signings", "post"))
    project_id = signed.json["items"][0]["id"]
    answers += [
        (api.get("/api/v1/events"), "/api/v1/events", "get"),
        (api.get(f"/api/v1/events/{event.json['id']}"), "/api/v1/events/{event_id}", "get"),
        (api.get("/api/v1/projects"), "/api/v1/projects", "get"),
        (api.get(f"/api/v1/projects/{project_id}"), "/api/v1/projects/{project_id}", "get"),
        (api.post(f"/api/v1/projects/{project_id}/transitions", json={"to": "preparing", "date": "2025-07-01"}),
         "/api/v1/projects/{project_id}/transitions", "post"),
        (api.post(f"/api/v1/projects/{project_id}/funds", json={"period": "2025-08", "amount": "12.5"}),
         "/api/v1/projects/{project_id}/funds", "post"),
        (api.get(f"/api/v1/projects/{project_id}/funds"), "/api/v1/projects/{project_id}/funds", "get"),
        (api.post(f"/api/v1/projects/{project_id}/problems", json={"description": "用地指标未落实"}),
         "/api/v1/projects/{project_id}/problems", "post"),
        (api.get(f"/api/v1/projects/{project_id}/problems"), "/api/v1/projects/{project_id}/problems", "get"),
        (api.get(f"/api/v1/metrics?event={event.json['id']}"), "/api/v1/metrics", "get"),
        (api.get("/api/v1/companies"), "/api/v1/companies", "get"),
        (api.get(f"/api/v1/companies/{company.id}"), "/api/v1/companies/{company_id}", "get"),
        (api.get(f"/api/v1/companies/{company.id}/contacts"), "/api/v1/companies/{company_id}/contacts", "get"),
        (api.get(f"/api/v1/companies/{company.id}/logs"), "/api/v1/companies/{company_id}/logs", "get"),
        (api.get("/api/v1/parks"), "/api/v1/parks", "get"),
        (api.get("/api/v1/parks/NANCHUAN"), "/api/v1/parks/{code}", "get"),
        (api.get("/api/v1/notifications"), "/api/v1/notifications", "get"),
        (api.get("/api/v1/me"), "/api/v1/me", "get"),
    ]
    for answer, path, method in answers:
        assert answer.status_code in (200, 201), (path, answer.json)
        _check(document, answer, path, method)
    refused = api.post("/api/v1/events", json={"name": ""})
    _check(document, refused, "/api/v1/events", "post")
