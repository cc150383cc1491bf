"""The chain map page (links coloured by state, counts) and admin edits of positioning, chains, links."""
from sqlalchemy import select

from crm.matching import queries
from crm.parks.models import ChainLink, Park
from crm.projects.stages import Stage
from tests import factories


def test_chain_map_colours_links_by_state_and_counts_projects(login_as, seeded):
    link = seeded.session.scalar(select(ChainLink).where(ChainLink.name == "储能和锂电池"))
    factories.project("NANCHUAN", Stage.signed, link_id=link.id)
    seeded.session.commit()
    html = login_as("officer").get("/parks/NANCHUAN/chains").get_data(as_text=True)
    assert 'btn-success' in html and f'data-link-id="{link.id}"' in html
    assert "企业 1 · 项目 1" in html
    assert "btn-outline-danger" in html  # the other links are gaps


def test_key_park_page_shows_its_bases_chain_maps(login_as, seeded):
    html = login_as("manager").get("/parks/XNKF").get_data(as_text=True)
    assert "西宁南川工业园区" in html and "电池级碳酸锂" in html and "铜箔" in html


def test_admin_edits_positioning_chain_and_link_with_history_and_matching_follows(login_as, seeded):
    admin = login_as("admin")
    response = admin.post("/parks/HUZHU/profile", data={"positioning": "青稞酒、冬虫夏草和牦牛乳制品基地",
                                                         "industries": "轻工纺织工业、生物产业"})
    assert response.status_code == 302
    admin.post("/parks/HUZHU/chains", data={"name": "乳制品"})
    park = seeded.session.scalar(select(Park).where(Park.code == "HUZHU"))
    seeded.session.refresh(park)
    chain = next(c for c in park.chains if c.name == "乳制品")
    admin.post(f"/parks/HUZHU/chains/{chain.id}/links", data={"name": "牦牛奶加工", "keywords": "牦牛奶、酸奶，奶粉"})
    seeded.session.refresh(chain)
    assert chain.links[0].keywords == ["牦牛奶", "酸奶", "奶粉"]
    admin.post(f"/parks/HUZHU/links/{chain.links[0].id}", data={"name": "牦牛乳加工", "keywords": "牦牛奶、酸奶"})
    html = admin.get("/parks/HUZHU").get_data(as_text=True)
    assert "修改产业定位" in html and "新增产业链「乳制品」" in html and "修改环节「乳制品 / 牦牛乳加工」" in html
    best = queries.parks_for_profile(queries.CompanyProfile(main_business="牦牛酸奶"), user=None).matches[0]
    assert best.park.code == "HUZHU" and any("环节「牦牛乳加工」" in r for r in best.reasons)


def test_only_admins_edit_parks(login_as, seeded):
    assert login_as("manager").post("/parks/HUZHU/chains", data={"name": "x"}).status_code == 403
    assert login_as("admin").post("/parks/NOPE/chains", data={"name": "x"}).status_code == 404


def test_deleting_a_link_keeps_its_projects(login_as, seeded):
    link = seeded.session.scalar(select(ChainLink).where(ChainLink.name == "萤石"))
    project = factories.project("GANHE", Stage.lead, link_id=link.id)
    seeded.session.commit()
    assert login_as("admin").post(f"/parks/GANHE/links/{link.id}/delete").status_code == 302
    seeded.session.expire_all()
    assert project.link_id is None
