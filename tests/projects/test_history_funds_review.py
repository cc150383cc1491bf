"""Stage history and undo, funds history and corrections, and review before facts count."""
from decimal import Decimal

from sqlalchemy import select

from crm.core import settings
from crm.projects.models import FundsEntry, StageChange
from crm.projects.queries import funds_arrived
from crm.projects.stages import Stage
from tests import factories


def test_history_lists_each_move_and_a_managers_undo_is_recorded(api_as, login_as, seeded):
    project = factories.project("NANCHUAN", Stage.negotiating)
    seeded.session.commit()
    officer = api_as("officer")
    officer.post(f"/api/v1/projects/{project.id}/transitions",
                 json={"to": "signed", "date": "2025-06-01", "agreed_investment": "8000", "comment": "青洽会现场签约"})
    history = officer.get(f"/api/v1/projects/{project.id}").get_json()["history"]
    assert [(h["from"], h["to"], h["fact_date"], h["comment"]) for h in history] == [
        ("negotiating", "signed", "2025-06-01", "青洽会现场签约")]
    assert history[0]["actor"] == officer.user.username
    assert login_as("officer").post(f"/projects/{project.id}/undo").status_code == 403
    manager = login_as("manager")
    assert manager.post(f"/projects/{project.id}/undo").status_code == 302
    body = officer.get(f"/api/v1/projects/{project.id}").get_json()
    assert body["stage"] == "negotiating" and body["counted_stage"] == "negotiating"
    assert body["signed_date"] is None
    assert [(h["from"], h["to"], h["is_undo"]) for h in body["history"]] == [
        ("negotiating", "signed", False), ("signed", "negotiating", True)]
    page = manager.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "撤销" in page


def test_funds_correction_supersedes_and_keeps_history(api_as, seeded):
    project = factories.project("NANCHUAN", Stage.started)
    seeded.session.commit()
    staff = api_as("park_staff", parks=["NANCHUAN"])
    url = f"/api/v1/projects/{project.id}/funds"
    first = staff.post(url, json={"period": "2025-10", "amount": "1200", "source": "省外境内", "use": "fixed_assets"})
    staff.post(url, json={"period": "2025-11", "amount": "300", "source": "境外"})
    assert funds_arrived(project.id) == Decimal("1500")
    fixed = staff.post(url, json={"corrects": first.get_json()["id"], "amount": "1000"})
    assert fixed.status_code == 201
    body = staff.get(url).get_json()
    assert body["funds_arrived"] == "1300.0000"
    rows = {(r["period"], r["amount"], r["superseded_by_id"]) for r in body["items"]}
    assert rows == {("2025-10", "1200", fixed.get_json()["id"]), ("2025-10", "1000", None), ("2025-11", "300", None)}
    again = staff.post(url, json={"corrects": first.get_json()["id"], "amount": "900"})
    assert again.status_code == 409
    assert staff.post(url, json={"period": "2025-12", "amount": "-5"}).status_code == 422


def test_counted_sources_are_a_setting(api_as, seeded):
    project = factories.project("NANCHUAN", Stage.started)
    seeded.session.commit()
    staff = api_as("park_staff", parks=["NANCHUAN"])
    staff.post(f"/api/v1/projects/{project.id}/funds", json={"period": "2025-10", "amount": "100", "source": "省内"})
    staff.post(f"/api/v1/projects/{project.id}/funds", json={"period": "2025-10", "amount": "50", "source": "境外"})
    settings.put("funds.counted_sources", ["省外境内", "境外"])
    seeded.session.commit()
    assert funds_arrived(project.id) == Decimal("50")


def test_with_review_on_a_park_staff_fact_counts_only_once_approved(api_as, login_as, seeded):
    settings.put("review.enabled", True)
    project = factories.project("NANCHUAN", Stage.signed)
    seeded.session.commit()
    staff = api_as("park_staff", parks=["NANCHUAN"])
    moved = staff.post(f"/api/v1/projects/{project.id}/transitions", json={"to": "preparing", "date": "2025-07-01"})
    assert moved.get_json()["review_status"] == "pending"
    staff.post(f"/api/v1/projects/{project.id}/funds", json={"period": "2025-08", "amount": "700"})
    body = staff.get(f"/api/v1/projects/{project.id}").get_json()
    assert (body["stage"], body["counted_stage"]) == ("preparing", "signed")
    assert funds_arrived(project.id) == 0
    manager = login_as("manager")
    queue = manager.get("/projects/review").get_data(as_text=True)
    assert project.name in queue and "700.00" in queue
    change = seeded.session.scalar(select(StageChange).where(StageChange.project_id == project.id))
    entry = seeded.session.scalar(select(FundsEntry).where(FundsEntry.project_id == project.id))
    assert manager.post(f"/projects/review/stage/{change.id}/approve", data={"comment": ""}).status_code == 302
    assert manager.post(f"/projects/review/funds/{entry.id}/return", data={"comment": ""}).status_code == 422
    returned = manager.post(f"/projects/review/funds/{entry.id}/return", data={"comment": "回单金额不符"})
    assert returned.status_code == 302
    body = staff.get(f"/api/v1/projects/{project.id}").get_json()
    assert body["counted_stage"] == "preparing"
    assert funds_arrived(project.id) == 0
    assert body["funds"][0]["review_status"] == "returned" and body["funds"][0]["review_comment"] == "回单金额不符"
    assert "回单金额不符" in login_as("park_staff", parks=["NANCHUAN"]).get(f"/projects/{project.id}").get_data(
        as_text=True)


def test_with_review_off_everything_counts_at_once(api_as, seeded):
    project = factories.project("NANCHUAN", Stage.signed)
    seeded.session.commit()
    staff = api_as("park_staff", parks=["NANCHUAN"])
    staff.post(f"/api/v1/projects/{project.id}/transitions", json={"to": "preparing", "date": "2025-07-01"})
    body = staff.get(f"/api/v1/projects/{project.id}").get_json()
    assert body["stage"] == body["counted_stage"] == "preparing"


def test_a_returned_move_is_taken_back(api_as, login_as, seeded):
    settings.put("review.enabled", True)
    project = factories.project("NANCHUAN", Stage.signed)
    seeded.session.commit()
    staff = api_as("park_staff", parks=["NANCHUAN"])
    change = staff.post(f"/api/v1/projects/{project.id}/transitions",
                        json={"to": "preparing", "date": "2025-07-01"}).get_json()
    login_as("manager").post(f"/projects/review/stage/{change['id']}/return", data={"comment": "无佐证材料"})
    body = staff.get(f"/api/v1/projects/{project.id}").get_json()
    assert body["stage"] == "signed" and body["preparing_date"] is None
    assert body["history"][0]["review_status"] == "returned"
