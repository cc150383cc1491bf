"""The fragments other pages include (company page, new-project form) and the try-a-company page."""
from flask import render_template_string

from tests import factories


def test_suggested_park_renders_inside_another_page(app, login_as, seeded):
    company = factories.company("锂业公司", main_business="磷酸铁锂正极材料和锂电隔膜")
    seeded.session.commit()
    client = login_as("officer")
    with app.test_request_context("/projects/new?x=1"):
        from flask_login import login_user
        login_user(client.user)
        card = render_template_string('<form><input name="park">{% include "matching/_suggested_park.html" %}</form>',
                                      company=company)
    assert "建议园区" in card and 'data-select-park="NANCHUAN"' in card and "park=NANCHUAN" in card


def test_company_page_fetches_its_parks_card_when_shown(login_as, seeded):
    company = factories.company("锂业公司", main_business="磷酸铁锂正极材料和锂电隔膜")
    seeded.session.commit()
    client = login_as("officer")
    url = f"/matching/companies/{company.id}"
    page = client.get(f"/companies/{company.id}").get_data(as_text=True)
    assert "推荐园区" in page and f'hx-get="{url}"' in page and "西宁南川工业园区" not in page
    card = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in card and "西宁南川工业园区" in card and "正极材料" in card
    whole = client.get(url).get_data(as_text=True)  # the card's link, where script is off
    assert "<html" in whole and "锂业公司" in whole and "西宁南川工业园区" in whole


def test_parks_card_of_a_company_park_staff_may_not_see_is_not_found(login_as, api_as, seeded):
    company = factories.company("锂业公司", main_business="磷酸铁锂正极材料和锂电隔膜")
    seeded.session.commit()
    assert login_as("park_staff", parks=["HUZHU"]).get(f"/matching/companies/{company.id}").status_code == 404
    assert login_as("officer").get("/matching/companies/999999").status_code == 404
    assert api_as("park_staff", parks=["HUZHU"]).get(f"/api/v1/match/parks?company={company.id}").status_code == 404
    assert api_as("officer").get(f"/api/v1/match/parks?company={company.id}").status_code == 200


def test_try_a_company_page(login_as, seeded):
    client = login_as("park_staff", parks=["HUZHU"])
    page = client.get("/matching/?main_business=冬虫夏草精包装").get_data(as_text=True)
    assert "海东互助工业园区" in page
    fragment = client.get("/matching/?main_business=藏毯", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "西宁南川工业园区" in fragment


def test_park_staff_see_no_other_parks_projects_among_the_reasons(login_as, api_as, seeded):
    """A signed project at 南川 is evidence for 南川 in every ranking; its name reaches only who may see it."""
    from crm.matching import index
    from crm.projects.stages import Stage

    owner = factories.company("甲储能有限公司", main_business="锂离子电池储能系统集成")
    factories.project("NANCHUAN", Stage.signed, company=owner, name="南川储能保密项目")
    ours = factories.company("乙储能有限公司", main_business="储能系统集成，锂离子电池")
    factories.project("HUZHU", Stage.lead, company=ours, name="互助线索")
    seeded.session.commit()
    index.refresh_company_terms([owner.id])
    seeded.session.commit()
    secret = "南川储能保密项目"
    description = "/matching/?main_business=储能系统集成，锂离子电池"
    assert secret in login_as("officer").get(f"/matching/companies/{ours.id}").get_data(as_text=True)
    staff = login_as("park_staff", parks=["HUZHU"])
    card = staff.get(f"/matching/companies/{ours.id}").get_data(as_text=True)
    assert "西宁南川工业园区" in card and secret not in card  # 南川 still fits; its projects stay unnamed
    assert secret not in staff.get(description).get_data(as_text=True)
    api = api_as("park_staff", parks=["HUZHU"])
    assert secret not in api.get(f"/api/v1/match/parks?company={ours.id}").get_data(as_text=True)
    described = api.post("/api/v1/match/parks", json={"main_business": "储能系统集成，锂离子电池"})
    assert described.status_code == 200 and secret not in described.get_data(as_text=True)
    assert secret in login_as("park_staff", parks=["NANCHUAN"]).get(description).get_data(as_text=True)


def test_recommendations_then_weak_ones_apart_named_never_by_code(login_as, seeded):
    import re

    from crm.parks.models import Park
    codes = [p.code for p in seeded.session.query(Park)]
    client = login_as("officer")
    strong = client.get("/matching/?main_business=磷酸铁锂正极材料").get_data(as_text=True)
    weak = client.get("/matching/?main_business=互联网广告投放代理").get_data(as_text=True)
    assert "西宁南川工业园区" in strong and "西宁经济技术开发区" in strong
    assert "弱相关" in weak and "match-parks-weak" in weak and 'class="list-group list-group-numbered' not in weak
    for page in (strong, weak):
        shown = re.sub(r"<[^>]+>", " ", page)  # what a person reads: no park codes such as NANCHUAN
        assert not [code for code in codes if re.search(rf"\b{code}\b", shown)]
