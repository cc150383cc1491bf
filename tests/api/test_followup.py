"""Follow-up through the API: a problem closed with If-Match (and a webhook told), supervision opened and
closed, and review of a park's stage change and funds, with the pages' rules and scope."""
from sqlalchemy import select

from crm.api.models import Webhook, WebhookDelivery
from crm.core import settings
from crm.extensions import db
from crm.projects.models import REVIEW_ENABLED
from tests import factories


def test_a_problem_is_closed_once_with_its_etag_and_a_webhook_hears_of_it(seeded, api_as):
    db.session.add(Webhook(url="http://127.0.0.1:9/hook", kinds="problem.closed", secret="whsec_test"))
    project = factories.project("GANHE", factories.Stage.signed)
    db.session.commit()
    park, other = api_as("park_staff", parks=["GANHE"]), api_as("park_staff", parks=["NANCHUAN"])
    raised = park.post(f"/api/v1/projects/{project.id}/problems", json={"description": "用水指标未批"}).json
    url = f"/api/v1/problems/{raised['id']}"
    assert other.get(url).status_code == 404  # another park's problem
    etag = park.get(url).headers["ETag"]
    closed = park.patch(url, json={"status": "solved", "resolution": "已批复"}, headers={"If-Match": etag})
    assert closed.status_code == 200 and closed.json["status"] == "solved" and closed.json["resolved_on"]
    stale = park.patch(url, json={"status": "open"}, headers={"If-Match": etag})
    assert stale.status_code == 412 and park.get(url).json["status"] == "solved"
    kinds = db.session.scalars(select(WebhookDelivery.kind)).all()
    assert kinds == ["problem.closed"]


def test_supervision_is_opened_by_a_manager_and_closed_by_its_owner(seeded, api_as):
    project = factories.project("NANCHUAN", factories.Stage.signed)
    db.session.commit()
    manager, owner = api_as("manager"), api_as("officer")
    body = {"instruction": "请一周内协调用地", "leader": "副省长", "owner_id": owner.user.id, "due_date": "2025-07-01"}
    assert owner.post(f"/api/v1/projects/{project.id}/supervisions", json=body).status_code == 403
    opened = manager.post(f"/api/v1/projects/{project.id}/supervisions", json=body)
    assert opened.status_code == 201 and opened.json["closed_at"] is None
    closed = owner.post(f"/api/v1/supervisions/{opened.json['id']}/close", json={"note": "已落实"})
    assert closed.status_code == 200 and closed.json["closing_note"] == "已落实"
    again = owner.post(f"/api/v1/supervisions/{opened.json['id']}/close", json={"note": "再次"})
    assert again.status_code == 409
    listed = manager.get(f"/api/v1/projects/{project.id}/supervisions").json["items"]
    assert [s["closing_note"] for s in listed] == ["已落实"]


def test_a_manager_reviews_a_parks_stage_change_and_funds(seeded, api_as):
    settings.put(REVIEW_ENABLED, True)
    project = factories.project("GANHE", factories.Stage.signed)
    db.session.commit()
    park, manager = api_as("park_staff", parks=["GANHE"]), api_as("manager")
    park.post(f"/api/v1/projects/{project.id}/transitions", json={"to": "preparing", "date": "2025-07-01"})
    park.post(f"/api/v1/projects/{project.id}/funds", json={"period": "2025-08", "amount": "50"})
    pending = manager.get("/api/v1/reviews").json
    assert len(pending["stage_changes"]) == 1 and len(pending["funds"]) == 1
    change_id, entry_id = pending["stage_changes"][0]["id"], pending["funds"][0]["id"]
    assert park.post(f"/api/v1/reviews/funds/{entry_id}", json={"decision": "approve"}).status_code == 403
    approved = manager.post(f"/api/v1/reviews/stage-changes/{change_id}", json={"decision": "approve"})
    assert approved.status_code == 200 and approved.json["review_status"] == "approved"
    returned = manager.post(f"/api/v1/reviews/funds/{entry_id}", json={"decision": "return", "comment": "缺凭证"})
    assert returned.status_code == 200 and returned.json["review_comment"] == "缺凭证"
    assert manager.get("/api/v1/reviews").json == {"stage_changes": [], "funds": []}
    assert manager.post(f"/api/v1/reviews/funds/{entry_id}", json={"decision": "maybe"}).status_code in (409, 422)
