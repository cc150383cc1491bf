"""The fragments other pages include (company page, new-project form) and the try-a-company page."""
from flask import render_template_string

from tests import factories


def test_company_fragment_and_suggested_park_render_inside_another_page(app, login_as, seeded):
    company = factories.company("锂业公司", main_business="电池级碳酸锂和氢氧化锂")
    seeded.session.commit()
    client = login_as("officer")
    with app.test_request_context("/projects/new?x=1"):
        from flask_login import login_user
        login_user(client.user)
        html = render_template_string('{% include "matching/_company_parks.html" ignore missing %}', company=company)
        card = render_template_string('<form><input name="park">{% include "matching/_suggested_park.html" %}</form>',
                                      company=company)
    assert "推荐园区" in html and "西宁南川工业园区" in html and "电池级碳酸锂" in html
    assert "建议园区" in card and 'data-select-park="NANCHUAN"' in card and "park=NANCHUAN" in card


def test_try_a_company_page(login_as, seeded):
    client = login_as("park_staff", parks=["HUZHU"])
    page = client.get("/matching/?main_business=冬虫夏草精包装").get_data(as_text=True)
    assert "海东互助工业园区" in page
    fragment = client.get("/matching/?main_business=藏毯", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "西宁南川工业园区" in fragment
