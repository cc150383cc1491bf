"""Company pages: form checks, duplicates, merge, park scope, constant list queries, export as text."""
import io

from openpyxl import load_workbook

from crm.companies import services
from crm.companies.models import Company, CompanyMerge, CompanyTier, Contact, ContactLog
from crm.contacts import services as contact_services
from crm.core.audit import AuditEntry
from crm.projects.models import Project
from crm.projects.stages import Stage
from tests import factories
from tests.companies.codes import broken_code, valid_code
from tests.statements import recorded_statements


def _company(name, confirm_distinct=False, tiers=(), **fields):
    return services.create_company({"name": name, **fields}, actor=None, confirm_distinct=confirm_distinct,
                                   tiers=tiers)


def test_form_refuses_wrong_check_character_with_a_message(login_as, seeded):
    officer = login_as("officer")
    response = officer.post("/companies/new", data={"name": "表单测试有限公司", "credit_code": broken_code(5),
                                                    "ownership": "民企", "industry_id": "0", "officer_id": "0"})
    assert response.status_code == 422
    assert "校验位错误" in response.get_data(as_text=True)
    assert seeded.session.query(Company).filter_by(name="表单测试有限公司").count() == 0
    ok = officer.post("/companies/new", data={"name": "表单测试有限公司", "credit_code": valid_code(5),
                                              "ownership": "民企", "industry_id": "0", "officer_id": "0",
                                              "tiers": "世界500强 2025;央企"})
    assert ok.status_code == 302
    saved = seeded.session.query(Company).filter_by(name="表单测试有限公司").one()
    assert {(t.tier, t.year) for t in saved.tiers} == {("世界500强", 2025), ("央企", None)}


def test_form_shows_the_existing_record_for_a_duplicate_name(login_as, db):
    existing = _company("青海测试锂业有限公司")
    db.session.commit()
    officer = login_as("officer")
    data = {"name": "青海测试锂业股份有限公司", "ownership": "民企", "industry_id": "0", "officer_id": "0"}
    response = officer.post("/companies/new", data=data)
    assert response.status_code == 409
    assert f"/companies/{existing.id}" in response.get_data(as_text=True)
    assert officer.post("/companies/new", data={**data, "confirm_distinct": "y"}).status_code == 302
    assert db.session.query(Company).count() == 2


def test_merge_moves_everything_and_leaves_a_trace_only_managers_may(login_as, seeded):
    kept = _company("青海合并测试有限公司", tiers=[("中国500强", 2024)])
    other = _company("青海合并测试股份有限公司", confirm_distinct=True, credit_code=valid_code(9),
                     tiers=[("世界500强", 2025), ("中国500强", 2024)])
    contact_services.add_contact(other, {"name": "李四"}, actor=None)
    from datetime import date

    contact_services.add_log(other, {"date": date(2026, 2, 1), "kind": "电话", "summary": "电话沟通"}, actor=None)
    project = factories.project(company=other)
    seeded.session.commit()
    assert login_as("officer").post(f"/companies/{kept.id}/merge",
                                    data={"other_id": other.id, "confirm": "1"}).status_code == 403
    manager = login_as("manager")
    assert manager.post(f"/companies/{kept.id}/merge", data={"other_id": other.id, "confirm": "1"}).status_code == 302
    session = seeded.session
    session.expire_all()
    assert session.query(Contact).filter_by(company_id=kept.id).count() == 1
    assert session.query(ContactLog).filter_by(company_id=kept.id).count() == 1
    assert session.get(Project, project.id).company_id == kept.id
    assert {(t.tier, t.year) for t in session.query(CompanyTier).filter_by(company_id=kept.id)} == {
        ("中国500强", 2024), ("世界500强", 2025)}
    kept = session.get(Company, kept.id)
    assert kept.credit_code == valid_code(9) and "青海合并测试股份有限公司" in kept.former_names
    assert str(kept.last_contact_on) == "2026-02-01"
    trace = session.query(CompanyMerge).one()
    assert trace.moved == {"contacts": 1, "logs": 1, "projects": 1, "tiers": 1}
    page = manager.get(f"/companies/{kept.id}").get_data(as_text=True)
    assert "合并了“青海合并测试股份有限公司”" in page
    assert manager.get(f"/companies/{other.id}").status_code == 302  # the old record points to the kept one


def test_park_staff_see_only_companies_with_a_project_in_their_parks(login_as, seeded):
    mine = factories.project(park_code="NANCHUAN", company=_company("南川项目企业有限公司")).company
    other = factories.project(park_code="DELINGHA", company=_company("德令哈项目企业有限公司")).company
    bare = _company("无项目企业有限公司")
    seeded.session.commit()
    staff = login_as("park_staff", parks=["NANCHUAN"])
    assert staff.get(f"/companies/{mine.id}").status_code == 200
    assert staff.get(f"/companies/{other.id}").status_code == 404
    assert staff.get(f"/companies/{bare.id}").status_code == 404
    listing = staff.get("/companies/").get_data(as_text=True)
    assert mine.name in listing and other.name not in listing and bare.name not in listing
    for q in ("项目企业", "项目", "企"):  # a search, exact from the index or tested, keeps the scope
        found = staff.get(f"/companies/?q={q}").get_data(as_text=True)
        assert mine.name in found and other.name not in found and bare.name not in found, q
    assert staff.get("/companies/new").status_code == 403


def test_park_staff_see_a_company_without_other_parks_projects(login_as, seeded):
    """The company page of park staff: its projects in their parks in the timeline and in 谁在接触, no other."""
    company = _company("两园区项目企业有限公司")
    factories.project(park_code="NANCHUAN", company=company, name="南川一期项目", stage=Stage.negotiating)
    factories.project(park_code="DELINGHA", company=company, name="德令哈保密项目", stage=Stage.negotiating)
    seeded.session.commit()
    manager = login_as("manager").get(f"/companies/{company.id}").get_data(as_text=True)
    assert "南川一期项目" in manager and "德令哈保密项目" in manager and "德令哈" in manager
    staff = login_as("park_staff", parks=["NANCHUAN"])
    for path in (f"/companies/{company.id}", f"/companies/{company.id}/timeline?timeline=40"):
        page = staff.get(path).get_data(as_text=True)
        assert "南川一期项目" in page and "德令哈" not in page, path




def _list_queries(db, client, n, shown):
    officer = client.user
    for i in range(n):
        company = _company(f"列表测试{officer.id}-{i}号有限公司", officer_id=officer.id,
                           tiers=[("世界500强", 2025), ("央企", 2025)])
        factories.project(company=company)
    db.session.commit()
    client.get("/companies/?per_page=50&sort=name&q=列表测试")  # the filter lists are kept a minute (core/choices)
    with recorded_statements(db.engine) as statements:
        response = client.get("/companies/?per_page=50&sort=name&q=列表测试")
    assert response.status_code == 200 and response.get_data(as_text=True).count("号有限公司</a>") == shown
    return len(statements)


def test_list_page_makes_a_constant_number_of_queries(login_as, seeded):
    few = _list_queries(seeded, login_as("officer"), 5, 5)
    many = _list_queries(seeded, login_as("officer"), 35, 40)
    assert few == many


def test_export_writes_formula_like_cells_as_text_and_is_audited(login_as, db):
    _company("导出测试有限公司", main_business="=1+1", notes="@SUM(A1)")
    db.session.commit()
    response = login_as("officer").get("/companies/export.xlsx?q=导出测试")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=False))
    assert rows[0][0].value == "企业名称"
    business = rows[1][5]
    assert business.value == "=1+1" and business.data_type == "s"
    assert db.session.query(AuditEntry).filter_by(action="export").count() == 1


def test_who_else_and_timeline_on_the_company_page(login_as, seeded):
    from datetime import date

    company = _company("防撞单测试有限公司")
    factories.project(park_code="DELINGHA", stage=Stage.negotiating, company=company, responsible_unit="德令哈招商局")
    other = login_as("officer")
    contact_services.add_log(company, {"date": date.today(), "kind": "拜访", "summary": "上门拜访"}, actor=other.user)
    seeded.session.commit()
    page = login_as("officer").get(f"/companies/{company.id}").get_data(as_text=True)
    assert "德令哈招商局" in page and other.user.name in page and "上门拜访" in page
    assert "新建项目" in page or "projects.new" not in str(page)


def test_every_page_renders_for_a_manager(login_as, seeded):
    company = _company("页面测试有限公司", main_business="碳酸锂")
    contact_services.add_contact(company, {"name": "王五", "mobile": "13800001111"}, actor=None)
    contact = seeded.session.query(Contact).one()
    trip = contact_services.create_trip({"title": "珠三角招商"}, actor=None)
    seeded.session.commit()
    manager = login_as("manager")
    for url in ("/companies/", "/companies/?q=ymcs&tier=央企&stale_days=30&open_project=1&sort=revenue",
                f"/companies/{company.id}", f"/companies/{company.id}/edit", "/companies/new",
                f"/companies/{company.id}/merge", "/companies/import", f"/contacts/companies/{company.id}/logs/new",
                f"/contacts/{contact.id}/edit", f"/contacts/companies/{company.id}/contacts/new", "/contacts/logs",
                "/contacts/trips", "/contacts/trips/new", f"/contacts/trips/{trip.id}",
                f"/contacts/trips/{trip.id}/edit", "/home"):
        assert manager.get(url).status_code == 200, url
    fragment = manager.get("/companies/?q=页面", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "页面测试有限公司" in fragment and "<html" not in fragment


def test_a_tier_alone_is_counted_from_its_holders_less_the_merged(api_as, seeded):
    """Holding a tier in two years counts once; a company merged away counts no more; other filters and park
    staff count their matches as before. The same numbers as listing the matches."""
    twice, once, merged, other = (_company(f"层级计数{i}有限公司", confirm_distinct=True) for i in range(4))
    seeded.session.add_all([CompanyTier(company_id=twice.id, tier="上市公司", year=2024),
                            CompanyTier(company_id=twice.id, tier="上市公司", year=2025),
                            CompanyTier(company_id=once.id, tier="上市公司", year=2025),
                            CompanyTier(company_id=merged.id, tier="上市公司", year=2025),
                            CompanyTier(company_id=other.id, tier="专精特新", year=2025)])
    services.merge_companies(once, merged, actor=None)
    seeded.session.commit()
    api = api_as("manager")
    for query, names in (("tier=上市公司", {twice.name, once.name}), ("tier=专精特新", {other.name}),
                         ("tier=世界500强", set()), ("tier=上市公司&ownership=其他", {twice.name, once.name})):
        body = api.get(f"/api/v1/companies?{query}&per_page=1").get_json()
        listed = api.get(f"/api/v1/companies?{query}&per_page=50").get_json()["items"]
        assert body["total"] == len(names) and {c["name"] for c in listed} == names, query


def test_lists_show_a_companys_tiers_newest_first_as_its_own_record_does(login_as, api_as, seeded):
    company = _company("榜单次序有限公司")
    seeded.session.add_all([CompanyTier(company_id=company.id, tier="上市公司"),
                            CompanyTier(company_id=company.id, tier="中国500强", year=2024, rank=321),
                            CompanyTier(company_id=company.id, tier="世界500强", year=2025, rank=88),
                            # an imported name holding the separators of the rows' tier column
                            CompanyTier(company_id=company.id, tier="专精\x1e特新\x1f", year=2024)])
    seeded.session.commit()
    expected = [("世界500强", 2025, 88), ("中国500强", 2024, 321), ("专精特新", 2024, None), ("上市公司", None, None)]
    item = api_as("manager").get("/api/v1/companies?q=榜单次序").get_json()["items"][0]
    assert [(t["tier"], t["year"], t["rank"]) for t in item["tiers"]] == expected
    row = login_as("manager").get("/companies/?q=榜单次序").get_data(as_text=True)
    badges = ["世界500强 2025", "中国500强 2024", "专精特新 2024", "上市公司</span>"]
    assert [row.index(b) for b in badges] == sorted(row.index(b) for b in badges)
