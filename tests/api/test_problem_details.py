"""Errors on the API as application/problem+json (RFC 9457) with the field errors, in the user's language."""
from flask_babel import refresh

from crm.extensions import db


def test_bad_input_is_a_problem_with_its_fields(seeded, api_as):
    answer = api_as("officer").post("/api/v1/projects", json={"name": "", "park": "NO_SUCH_PARK"})
    assert answer.status_code == 422
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    problem = answer.json
    assert problem["status"] == 422 and problem["type"].startswith("urn:crm:problem:")
    assert problem["title"] == "输入无效。" and "park" in problem["errors"]
    assert problem["errors"]["park"] == "园区代码不存在"


def test_problems_speak_the_users_language(seeded, api_as):
    api = api_as("officer")
    api.user.locale = "en"
    db.session.commit()
    refresh()  # the test's app context outlives requests: forget the locale creating the user chose
    answer = api.post("/api/v1/projects", json={"name": "x", "park": "NO_SUCH_PARK"})
    assert answer.status_code == 422 and answer.json["title"] == "Invalid input."
    assert answer.json["errors"]["park"] == "Park code does not exist"
    missing = api.get("/api/v1/projects/999999")
    assert missing.status_code == 404 and missing.headers["Content-Type"].startswith("application/problem+json")
    unauthenticated = api.client.get("/api/v1/projects")
    assert unauthenticated.status_code == 401 and unauthenticated.json["status"] == 401


def test_lists_share_one_shape_with_a_next_path(seeded, api_as):
    from tests import factories

    for i in range(3):
        factories.company(f"列表测试{i}有限公司")
    db.session.commit()
    api = api_as("manager")
    first = api.get("/api/v1/companies?per_page=2").json
    assert {"items", "total", "page", "per_page", "next"} <= set(first) and len(first["items"]) == 2
    second = api.get(first["next"]).json
    assert first["next"].startswith("/api/v1/companies?") and "after=" in first["next"]
    assert len(second["items"]) == 1 and second["next"] is None
    assert {c["id"] for c in first["items"]}.isdisjoint(c["id"] for c in second["items"])
    events = api.get("/api/v1/events?per_page=1").json
    assert events["total"] == 0 and events["next"] is None and events["items"] == []
