"""Safe concurrent edits (ETag, If-Match, 412) and retried POSTs (Idempotency-Key) on the API."""
from sqlalchemy import func, select

from crm.api.models import IdempotentRequest
from crm.companies.models import Company
from crm.projects.models import Project
from tests import factories


def test_two_clients_editing_one_project_the_second_is_refused_and_nothing_is_lost(seeded, api_as):
    project = factories.project("NANCHUAN", name="并发项目")
    seeded.session.commit()
    alice, bob = api_as("officer"), api_as("manager")
    url = f"/api/v1/projects/{project.id}"
    seen_by_alice, seen_by_bob = alice.get(url), bob.get(url)
    etag = seen_by_alice.headers["ETag"]
    assert etag == seen_by_bob.headers["ETag"] == f'"v{seen_by_alice.json["version"]}"'
    first = alice.patch(url, json={"content": "爱丽丝的修改", "jobs": 120}, headers={"If-Match": etag})
    assert first.status_code == 200 and first.headers["ETag"] != etag
    second = bob.patch(url, json={"content": "鲍勃的修改"}, headers={"If-Match": etag})
    assert second.status_code == 412
    assert second.headers["Content-Type"].startswith("application/problem+json")
    assert second.headers["ETag"] == first.headers["ETag"]  # the state to read again before retrying
    now = bob.get(url).json
    assert now["content"] == "爱丽丝的修改" and now["jobs"] == 120
    retried = bob.patch(url, json={"content": "鲍勃读过后的修改"}, headers={"If-Match": first.headers["ETag"]})
    assert retried.status_code == 200 and retried.json["jobs"] == 120  # Bob's edit keeps Alice's other field
    blind = bob.patch(url, json={"content": "盲改"})
    assert blind.status_code == 428 and bob.get(url).json["content"] == "鲍勃读过后的修改"


def test_a_list_answers_304_to_a_client_holding_its_etag(seeded, api_as):
    api = api_as("manager")
    listed = api.get("/api/v1/parks")
    assert listed.status_code == 200 and listed.headers["ETag"]
    assert api.get("/api/v1/parks", headers={"If-None-Match": listed.headers["ETag"]}).status_code == 304


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_post_repeated_with_one_idempotency_key_creates_once(seeded, api_as):
    api = api_as("officer")
    key = {"Idempotency-Key": "fair-day-0001"}
    first = api.post("/api/v1/companies", json={"name": "幂等测试有限公司"}, headers=key)
    again = api.post("/api/v1/companies", json={"name": "幂等测试有限公司"}, headers=key)
    assert first.status_code == again.status_code == 201 and first.json["id"] == again.json["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(seeded, Company) == 1
    other = api.post("/api/v1/companies", json={"name": "另一家有限公司"}, headers=key)
    assert other.status_code == 422 and _count(seeded, Company) == 1  # one key, another request: refused
    someone_else = api_as("officer").post("/api/v1/companies", json={"name": "幂等测试二有限公司"}, headers=key)
    assert someone_else.status_code == 201 and _count(seeded, Company) == 2  # keys are per user


def test_a_refused_post_frees_its_key_for_the_corrected_request(seeded, api_as):
    api = api_as("officer")
    company = factories.company("幂等项目企业有限公司")
    seeded.session.commit()
    key = {"Idempotency-Key": "retry-after-fix"}
    body = {"name": "幂等项目", "company_id": company.id, "park": "NO_SUCH_PARK"}
    assert api.post("/api/v1/projects", json=body, headers=key).status_code == 422
    assert _count(seeded, IdempotentRequest) == 0
    fixed = {**body, "park": "NANCHUAN"}
    assert api.post("/api/v1/projects", json=fixed, headers=key).status_code == 201
    assert api.post("/api/v1/projects", json=fixed, headers=key).status_code == 201
    assert _count(seeded, Project) == 1
