"""Gap → companies: the chain map's link panel, candidates marked, one-click lead, lazy term refresh."""
from sqlalchemy import select

from crm.core.audit import AuditEntry
from crm.matching import queries
from crm.parks.models import ChainLink
from crm.projects.models import Project
from crm.projects.stages import Stage
from tests import factories


def _link(name: str) -> ChainLink:
    return factories.db.session.scalar(select(ChainLink).where(ChainLink.name == name))


def test_candidates_ranked_with_reasons_and_contacted_ones_marked(login_as, seeded):
    link = _link("正极、负极、隔膜材料")
    strong = factories.company("甲正极材料有限公司", main_business="磷酸铁锂正极材料、三元材料、负极材料")
    weak = factories.company("乙电池回收有限公司", main_business="废旧电池回收，兼营隔膜")
    factories.company("丙食品有限公司", main_business="牦牛肉干")
    factories.project("NANCHUAN", Stage.negotiating, company=weak, name="乙公司隔膜项目")
    factories.project("NANCHUAN", Stage.dropped, company=strong, name="甲公司旧项目")
    seeded.session.commit()
    matches = queries.companies_for_link(link.id, user=None)
    assert [m.company.name for m in matches][:2] == ["甲正极材料有限公司", "乙电池回收有限公司"]
    assert all("丙" not in m.company.name for m in matches)
    assert "环节「正极、负极、隔膜材料」相符" in matches[0].reasons[0]
    page = login_as("officer").get(f"/matching/links/{link.id}", headers={"HX-Request": "true"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" not in html
    assert "已接洽" in html and "乙公司隔膜项目" in html
    assert "曾终止" in html and "投资方撤回" in html


def test_company_edited_after_indexing_is_reindexed_lazily(seeded):
    link = _link("储能和锂电池")
    company = factories.company("丁科技有限公司", main_business="软件开发")
    seeded.session.commit()
    assert queries.companies_for_link(link.id, user=None) == []
    company.main_business = "储能电池系统集成"
    seeded.session.commit()
    assert [m.company.name for m in queries.companies_for_link(link.id, user=None)] == ["丁科技有限公司"]


def test_one_click_lead_creates_an_audited_lead_project(login_as, seeded):
    link = _link("储能和锂电池")
    company = factories.company("戊储能有限公司", main_business="锂离子电池储能系统")
    seeded.session.commit()
    client = login_as("officer")
    response = client.post("/matching/leads", data={"company_id": company.id, "link_id": link.id},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "已转为线索" in response.get_data(as_text=True)
    project = seeded.session.scalar(select(Project).where(Project.company_id == company.id))
    assert (project.stage, project.link_id, project.park.code) == ("lead", link.id, "NANCHUAN")
    assert seeded.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "projects",
                                                          AuditEntry.object_id == project.id))
    again = client.post("/matching/leads", data={"company_id": company.id, "link_id": link.id})
    assert again.status_code == 409


def test_park_staff_cannot_create_leads(login_as, seeded):
    link = _link("储能和锂电池")
    company = factories.company("己公司", main_business="锂电池")
    seeded.session.commit()
    response = login_as("park_staff", parks=["NANCHUAN"]).post(
        "/matching/leads", data={"company_id": company.id, "link_id": link.id})
    assert response.status_code == 403


def test_link_state_follows_projects(seeded):
    link = _link("电池级碳酸锂")
    park = queries.park_profile("NANCHUAN")
    assert queries.link_states(park, None)[link.id].state == "gap"
    factories.project("NANCHUAN", Stage.lead, link_id=link.id)
    seeded.session.commit()
    assert queries.link_states(park, None)[link.id].state == "partly"
    owner = factories.company("庚锂业", main_business="盐湖提锂，电池级碳酸锂")
    factories.project("NANCHUAN", Stage.signed, company=owner)  # no link set: found by its terms
    seeded.session.commit()
    state = queries.link_states(park, None)[link.id]
    assert state.state == "filled" and state.company_count == 2


def test_candidates_come_from_the_database_term_index_and_merged_companies_are_left_out(seeded):
    from crm.matching import index
    from crm.matching.models import CompanyTerm

    link = _link("正极、负极、隔膜材料")
    kept = factories.company("戊正极材料有限公司", main_business="磷酸铁锂正极材料")
    merged = factories.company("己正极材料有限公司", main_business="磷酸铁锂正极材料")
    seeded.session.commit()
    index.refresh_company_terms([kept.id, merged.id])
    seeded.session.commit()
    indexed = set(seeded.session.scalars(select(CompanyTerm.company_id).where(CompanyTerm.term == "正极材料")))
    assert {kept.id, merged.id} <= indexed
    merged.merged_into_id = kept.id
    seeded.session.commit()
    assert [m.company.name for m in queries.companies_for_link(link.id, user=None)] == ["戊正极材料有限公司"]


def test_a_started_worker_has_every_links_shortlist_and_a_company_change_renews_them(seeded, monkeypatch):
    from crm.matching import cache, index

    link = _link("正极、负极、隔膜材料")
    factories.company("庚正极材料有限公司", main_business="磷酸铁锂正极材料")
    seeded.session.commit()
    index.refresh_stale()
    seeded.session.commit()
    cache.clear()
    index.warm_up()
    queries.warm_up()
    scored = []
    real = queries._shortlist
    monkeypatch.setattr(queries, "_shortlist", lambda *args: scored.append(1) or real(*args))
    links = seeded.session.scalars(select(ChainLink.id)).all()
    assert len(links) > 50
    for link_id in links:
        queries.companies_for_link(link_id, user=None)
    assert scored == []  # every link served from the shortlists the warm-up kept
    factories.company("辛正极材料有限公司", main_business="磷酸铁锂正极材料")
    seeded.session.commit()
    names = [m.company.name for m in queries.companies_for_link(link.id, user=None)]
    assert scored == [1] and "辛正极材料有限公司" in names  # a new company: the shortlist is made anew


def test_park_staff_see_only_the_candidates_they_may_see(login_as, api_as, seeded):
    """A target company reaches park staff only with a project in one of their parks, on a link panel too."""
    link = _link("正极、负极、隔膜材料")
    ours = factories.company("壬正极材料有限公司", main_business="磷酸铁锂正极材料、负极材料")
    factories.company("癸正极材料有限公司", main_business="磷酸铁锂正极材料、三元材料")
    factories.project("HUZHU", Stage.lead, company=ours, name="壬公司互助项目")
    seeded.session.commit()
    officer = login_as("officer").get(f"/matching/links/{link.id}").get_data(as_text=True)
    assert "壬正极材料有限公司" in officer and "癸正极材料有限公司" in officer
    staff = login_as("park_staff", parks=["HUZHU"]).get(f"/matching/links/{link.id}").get_data(as_text=True)
    assert "壬正极材料有限公司" in staff and "癸正极材料有限公司" not in staff
    api = api_as("park_staff", parks=["HUZHU"]).get(f"/api/v1/match/companies?park=NANCHUAN&link={link.id}")
    assert [m["company_name"] for m in api.get_json()["items"]] == ["壬正极材料有限公司"]


def test_another_parks_links_show_no_state_to_park_staff(login_as, seeded):
    """Park staff of 互助 see 南川's chains, but not whether its links hold projects: no false 缺链 either."""
    link = _link("电池级碳酸锂")
    factories.project("NANCHUAN", Stage.signed, link_id=link.id, name="南川碳酸锂项目")
    seeded.session.commit()
    officer = login_as("officer").get(f"/matching/links/{link.id}").get_data(as_text=True)
    assert "已有企业" in officer and "南川碳酸锂项目" in officer
    staff = login_as("park_staff", parks=["HUZHU"])
    panel = staff.get(f"/matching/links/{link.id}").get_data(as_text=True)
    assert "该园区的项目不在您的查看范围内" in panel
    assert "缺链" not in panel and "已有企业" not in panel and "南川碳酸锂项目" not in panel
    park_page = staff.get("/parks/NANCHUAN").get_data(as_text=True)
    assert f'data-link-id="{link.id}"' in park_page and "btn-outline-danger" not in park_page
    own = login_as("park_staff", parks=["NANCHUAN"]).get(f"/matching/links/{link.id}").get_data(as_text=True)
    assert "已有企业" in own and "南川碳酸锂项目" in own


def test_companies_like_those_that_landed_rank_higher_for_a_gap(seeded):
    link = _link("储能和锂电池")
    landed = factories.company("甲储能有限公司", main_business="磷酸铁锂储能电芯、储能系统集成")
    factories.project("NANCHUAN", Stage.started, company=landed, name="储能电芯及系统集成项目")
    alike = factories.company("乙新能源有限公司", main_business="锂电池，储能电芯和储能系统集成")
    other = factories.company("丙新能源有限公司", main_business="锂电池，电动工具电池")
    seeded.session.commit()
    from crm.matching import index
    index.refresh_company_terms([landed.id, alike.id, other.id])
    seeded.session.commit()
    matches = {m.company.name: m for m in queries.companies_for_link(link.id, user=None)}
    assert matches["乙新能源有限公司"].score > matches["丙新能源有限公司"].score
    assert any("与该园区已有项目相近（同类项目已在该园区落地：储能电芯及系统集成项目" in r
               for r in matches["乙新能源有限公司"].reasons)
