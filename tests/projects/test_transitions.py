"""Every stage move by every role: allowed moves succeed, others are refused with the right status."""
from datetime import date

import pytest

from crm.projects.stages import PATH, REQUIRED_FACTS, Stage, is_allowed, skipped
from tests import factories

TODAY = date.today().isoformat()
ALL = [*PATH, Stage.dropped]


def _facts(from_stage: Stage, to: Stage) -> dict:
    """Every fact the move needs, dated today (on or after every earlier stage's date)."""
    facts = {"to": to, "date": TODAY}
    for stage in skipped(from_stage, to):
        facts.update({f: TODAY for f in REQUIRED_FACTS[stage] if f.endswith("_date")})
    if Stage.signed in (*skipped(from_stage, to), to):
        facts["agreed_investment"] = "20000"
    if to == Stage.dropped:
        facts["reason"] = "企业战略调整"
    return facts


def _expected(role: str, from_stage: Stage, to: Stage) -> int:
    if not is_allowed(from_stage, to):
        return 422
    if role == "officer":
        ok = from_stage in (Stage.lead, Stage.negotiating) and to in ("negotiating", "signed", "dropped")
        return 201 if ok else 403
    if role == "park_staff":
        ok = from_stage in ("signed", "preparing", "started", "producing") and to in (
            "preparing", "started", "producing", "dropped")
        return 201 if ok else 403
    return 201


@pytest.mark.parametrize("role", ["officer", "park_staff", "manager", "admin"])
def test_every_stage_pair_by_role(api_as, seeded, role):
    api = api_as(role, parks=["NANCHUAN"] if role == "park_staff" else ())
    projects = {(a, b): factories.project("NANCHUAN", a) for a in ALL for b in ALL}
    seeded.session.commit()
    wrong = []
    for (from_stage, to), project in projects.items():
        answer = api.post(f"/api/v1/projects/{project.id}/transitions", json=_facts(from_stage, to))
        if answer.status_code != _expected(role, from_stage, to):
            wrong.append((from_stage, to, answer.status_code, answer.get_json()))
        elif answer.status_code == 201:
            assert answer.get_json()["project"]["stage"] == to
    assert wrong == []


def test_a_jump_asks_for_the_facts_of_every_skipped_stage(api_as, seeded):
    manager = api_as("manager")
    project = factories.project("NANCHUAN", Stage.lead)
    seeded.session.commit()
    url = f"/api/v1/projects/{project.id}/transitions"
    answer = manager.post(url, json={"to": "started", "date": TODAY})
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert set(error["fields"]) == {"negotiating_date", "signed_date", "agreed_investment", "preparing_date"}
    assert "negotiating_date" in error["message"]
    assert manager.get(f"/api/v1/projects/{project.id}").get_json()["stage"] == "lead"
    full = manager.post(url, json=_facts(Stage.lead, Stage.started))
    assert full.status_code == 201
    body = manager.get(f"/api/v1/projects/{project.id}").get_json()
    assert body["stage"] == "started" and body["signed_date"] == TODAY and body["agreed_investment"] == "20000"


def test_dates_may_not_be_in_the_future_nor_before_the_previous_stage(api_as, seeded):
    manager = api_as("manager")
    project = factories.project("NANCHUAN", Stage.signed)  # signed 2025-06-01
    seeded.session.commit()
    url = f"/api/v1/projects/{project.id}/transitions"
    assert manager.post(url, json={"to": "preparing", "date": "2099-01-01"}).status_code == 422
    early = manager.post(url, json={"to": "preparing", "date": "2025-05-01"})
    assert early.status_code == 422 and "preparing_date" in early.get_json()["error"]["fields"]
    assert manager.post(url, json={"to": "preparing", "date": "2025-06-01"}).status_code == 201


def test_park_staff_cannot_touch_another_parks_project_nor_move_into_signed(api_as, login_as, seeded):
    other = factories.project("GANHE", Stage.signed)
    own = factories.project("NANCHUAN", Stage.negotiating)
    seeded.session.commit()
    staff = api_as("park_staff", parks=["NANCHUAN"])
    assert staff.get(f"/api/v1/projects/{other.id}").status_code == 404
    assert staff.post(f"/api/v1/projects/{other.id}/transitions",
                      json={"to": "preparing", "date": TODAY}).status_code == 404
    funds = {"period": TODAY[:7], "amount": "1"}
    assert staff.post(f"/api/v1/projects/{other.id}/funds", json=funds).status_code == 404
    assert staff.post(f"/api/v1/projects/{own.id}/transitions",
                      json={"to": "signed", "date": TODAY, "agreed_investment": "100"}).status_code == 403
    page = login_as("park_staff", parks=["NANCHUAN"])
    assert page.get(f"/projects/{other.id}").status_code == 404
    assert page.post(f"/projects/{other.id}/transition?to=preparing", data={"preparing_date": TODAY}).status_code == 404
    assert page.get(f"/projects/{own.id}").status_code == 200


def test_signing_at_a_fair_records_the_event(api_as, seeded):
    event = factories.event(2025)
    project = factories.project("NANCHUAN", Stage.negotiating)
    seeded.session.commit()
    officer = api_as("officer")
    answer = officer.post(f"/api/v1/projects/{project.id}/transitions",
                          json={"to": "signed", "date": "2025-06-02", "agreed_investment": "30000",
                                "event_id": event.id})
    assert answer.status_code == 201
    listed = officer.get(f"/api/v1/events/{event.id}").get_json()["projects"]
    assert [p["id"] for p in listed] == [project.id]
    assert officer.post(f"/api/v1/projects/{project.id}/transitions",
                        json={"to": "dropped", "date": TODAY, "event_id": 99999}).status_code in (403, 422)
