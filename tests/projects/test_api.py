"""The projects API: create, move through the stages by role and park, funds, problems, stale saves."""
from datetime import date
from decimal import Decimal

from crm.projects.stages import Stage
from tests import factories
from tests.statements import recorded_statements


def _t(api, pid, to, **facts):
    return api.post(f"/api/v1/projects/{pid}/transitions", json={"to": to, **facts})


def test_lifecycle_by_role_and_park(api_as, seeded):
    officer = api_as("officer")
    staff_nc = api_as("park_staff", parks=["NANCHUAN"])
    staff_gh = api_as("park_staff", parks=["GANHE"])
    company = factories.company("青海阶段测试新能源有限公司")
    seeded.session.commit()
    created = officer.post("/api/v1/projects", json={"name": "年产5万吨正极材料项目", "company_id": company.id,
                                                      "park": "NANCHUAN", "agreed_investment": "50000"})
    assert created.status_code == 201, created.get_json()
    pid = created.get_json()["id"]
    assert _t(officer, pid, "started", date="2026-03-01").status_code == 403  # beyond an officer's stages
    jump = _t(api_as("manager"), pid, "started", date="2026-03-01")
    assert jump.status_code == 422
    assert set(jump.get_json()["error"]["fields"]) == {"negotiating_date", "signed_date", "preparing_date"}
    assert _t(officer, pid, "negotiating", date="2026-01-05").status_code == 201
    assert _t(officer, pid, "signed", date="2026-01-20", agreed_investment="50000").status_code == 201
    assert _t(officer, pid, "preparing", date="2026-02-01").status_code == 403
    assert staff_gh.get(f"/api/v1/projects/{pid}").status_code == 404
    assert _t(staff_gh, pid, "preparing", date="2026-02-01").status_code == 404
    assert _t(staff_nc, pid, "preparing", date="2026-02-01").status_code == 201
    assert _t(staff_nc, pid, "started", date="2026-03-01").status_code == 201
    funds = staff_nc.post(f"/api/v1/projects/{pid}/funds", json={"period": "2026-03", "amount": "1200",
                                                                  "source": "省外境内"})
    assert funds.status_code == 201, funds.get_json()
    body = api_as("admin").get(f"/api/v1/projects/{pid}").get_json()
    assert [(h["from"], h["to"]) for h in body["history"]] == [
        ("lead", "negotiating"), ("negotiating", "signed"), ("signed", "preparing"), ("preparing", "started")]
    assert body["funds_arrived"] == "1200" and body["funds_arrival_rate"] == "0.0240"
    listed = [p["id"] for p in staff_gh.get("/api/v1/projects?per_page=200").get_json()["items"]]
    assert pid not in listed
    assert pid in [p["id"] for p in staff_nc.get("/api/v1/projects").get_json()["items"]]


def test_list_items_are_the_summaries_of_the_projects(api_as, seeded):
    fair = factories.event(2025)
    full = factories.project("NANCHUAN", Stage.started, event_id=fair.id, fixed_asset_investment=Decimal("8000.5"),
                             land_mu=Decimal("120"), jobs=300, contact_leader="张副省长", leader_level="省",
                             planned_production_date=date(2025, 1, 1), local_credit_code="", notes="备注")
    bare = factories.project("GANHE", Stage.lead)
    seeded.session.commit()
    api = api_as("manager")
    items = {item["id"]: item for item in api.get("/api/v1/projects").get_json()["items"]}
    for project in (full, bare):
        detail = api.get(f"/api/v1/projects/{project.id}").get_json()
        assert items[project.id] == {key: detail[key] for key in items[project.id]}
    assert items[full.id]["is_late"] is True and items[full.id]["park"] == "NANCHUAN"


def test_a_stage_move_writes_the_project_once(api_as, seeded):
    project = factories.project("NANCHUAN", Stage.negotiating)
    seeded.session.commit()
    pid, version = project.id, project.version
    api = api_as("manager")
    with recorded_statements(seeded.engine) as seen:
        moved = api.post(f"/api/v1/projects/{pid}/transitions",
                         json={"to": "signed", "date": "2025-06-01", "agreed_investment": "8000"})
    assert moved.status_code == 201, moved.get_json()
    assert sum(s.startswith("UPDATE projects") for s in seen) == 1  # the facts and the stage in one UPDATE
    body = moved.get_json()
    assert body["project"]["version"] == version + 1 and body["project"]["stage"] == "signed"
    history = api.get(f"/api/v1/projects/{pid}").get_json()["history"]
    assert {key: body[key] for key in history[-1]} == history[-1]  # the move as it was recorded
