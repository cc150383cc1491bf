"""Events: seeded types, the event pages and API, and signing-day bulk entry without duplicate companies."""
from sqlalchemy import func, select

from crm.companies.models import Company
from crm.events.models import Event, EventType
from crm.projects.models import Project, StageChange
from tests import factories

ROWS = "\n".join([
    "企业名称\t信用代码\t项目名称\t园区\t协议投资额\t签约日期\t产业",
    "青海测试盐湖化工有限公司\t\t年产2万吨碳酸锂项目\tNANCHUAN\t120000\t2025-06-02\t",
    "青海测试盐湖化工股份有限公司\t\t氯化钾深加工项目\tGANHE\t30,000\t2025-06-02\t",
    "西部测试光伏有限公司\t\t光伏组件项目\t不存在的园区\t5000\t2025-06-02\t",
    "西部测试储能有限公司\t\t储能电站项目\tNANCHUAN\t8000\t2099-01-01\t",
])


def test_seed_loads_event_types_once(runner, db):
    runner.invoke(args=["crm", "seed"])
    assert {t.code for t in db.session.scalars(select(EventType))} >= {"QINGQIA", "SOE-QH", "CARPET", "HALAL"}
    assert "nothing changed" in runner.invoke(args=["crm", "seed"]).output


def test_bulk_entry_previews_then_creates_each_company_once(login_as, seeded):
    event = factories.event(2025)
    existing = factories.company("西部测试储能有限公司")
    seeded.session.commit()
    before = seeded.session.scalar(select(func.count()).select_from(Company))
    client = login_as("officer")
    preview = client.post(f"/events/{event.id}/bulk", data={"rows": ROWS}).get_data(as_text=True)
    assert "同第 2 行" in preview and "园区不存在" in preview and "晚于今天" in preview
    assert seeded.session.scalar(select(func.count()).select_from(Project)) == 0
    done = client.post(f"/events/{event.id}/bulk", data={"rows": ROWS, "confirm": "1"})
    assert done.status_code == 302
    projects = seeded.session.scalars(select(Project).order_by(Project.id)).all()
    assert [p.name for p in projects] == ["年产2万吨碳酸锂项目", "氯化钾深加工项目"]
    assert projects[0].company_id == projects[1].company_id
    assert {p.stage for p in projects} == {"signed"} and {p.event_id for p in projects} == {event.id}
    assert str(projects[1].agreed_investment.normalize()) == "3E+4"
    changes = seeded.session.scalars(select(StageChange)).all()
    assert [(c.from_stage, c.to_stage) for c in changes] == [("lead", "signed"), ("lead", "signed")]
    companies = seeded.session.scalar(select(func.count()).select_from(Company))
    assert companies == before + 1  # the salt-lake company, named twice, was created once
    again = client.post(f"/events/{event.id}/bulk", data={"rows": ROWS, "confirm": "1"})
    assert again.status_code == 302
    assert seeded.session.scalar(select(func.count()).select_from(Company)) == before + 1
    assert seeded.session.scalar(select(func.count()).select_from(Project)) == 2
    assert existing.id not in {p.company_id for p in projects}


def test_event_pages_and_api_show_signed_projects_within_scope(login_as, api_as, seeded):
    event = factories.event(2025, name="2025青洽会")
    factories.project("NANCHUAN", factories.Stage.signed, name="南川签约项目", event_id=event.id)
    factories.project("GANHE", factories.Stage.signed, name="甘河签约项目", event_id=event.id)
    seeded.session.commit()
    page = login_as("manager").get(f"/events/{event.id}").get_data(as_text=True)
    assert "南川签约项目" in page and "甘河签约项目" in page and "20,000.00" in page
    staff = api_as("park_staff", parks=["GANHE"])
    body = staff.get(f"/api/v1/events/{event.id}").get_json()
    assert [p["name"] for p in body["projects"]] == ["甘河签约项目"]
    assert staff.get("/api/v1/events").get_json()["total"] == 1
    assert login_as("park_staff", parks=["GANHE"]).get("/events/new").status_code == 403


def test_officer_creates_an_event(login_as, seeded):
    event_type = factories.event_type()
    seeded.session.commit()
    client = login_as("officer")
    answer = client.post("/events/new", data={"type_id": event_type.id, "name": "2026青洽会", "year": 2026,
                                              "edition": "第二十六届", "place": "西宁"})
    assert answer.status_code == 302
    assert seeded.session.scalar(select(Event).where(Event.name == "2026青洽会")).edition == "第二十六届"
