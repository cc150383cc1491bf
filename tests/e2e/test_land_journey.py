"""Park staff in a browser: enter a parcel, see it fit a project, supply it, and read the project's 投资强度
and land priority on its page."""
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.e2e.api_data import Api
from tests.e2e.checks import DESKTOP, assert_chinese_rendered, fill, form_with
from tests.e2e.dates import early_this_year, today

USERS = {"zhou_manager": ("manager", [], "周局长"), "wu_staff": ("park_staff", ["NANCHUAN"], "吴园区")}
PROJECT = "南川年产3万吨正极材料项目"


@pytest.fixture(scope="module")
def world(server):
    api = Api(server.url, server.token("zhou_manager"))
    company = api.company("南方正极材料科技有限公司", main_business="锂电池正极材料")
    project = api.project(company["id"], "NANCHUAN", PROJECT, fixed_asset_investment="62000", land_mu="100")
    api.walk(project["id"], ["negotiating", "signed"], early_this_year(), agreed_investment="80000")
    return SimpleNamespace(project=project)


def test_park_staff_enter_a_parcel_supply_it_and_see_the_intensity(open_page, server, world):
    page, watch = open_page(DESKTOP, username="wu_staff")
    watch.expect_status(422, r"/land/parks/NANCHUAN/new$")  # the bad area, on purpose
    watch.expect_status(422, rf"/land/projects/{world.project['id']}/supply$")  # the missing agreed start
    page.goto(f"{server.url}/land/")
    page.get_by_role("link", name="西宁南川工业园区").click()
    page.get_by_role("link", name="登记载体").click()

    # a bad area is refused beside its field, the name kept
    form = form_with(page, "area_mu")
    fill(form, "name", "12号地块")
    fill(form, "area_mu", "一百")
    form.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback")).to_be_visible()
    expect(page.locator("[name=name]")).to_have_value("12号地块")
    fill(form, "area_mu", "100")
    fill(form, "land_use", "工业")
    page.locator("[name=serviced]").check()
    form.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/land/carriers/\d+$"))
    expect(page.locator("h1")).to_contain_text("可供")
    assert_chinese_rendered(page)

    # the project's page: the parcel fits it, with the reason in words
    page.goto(f"{server.url}/projects/{world.project['id']}")
    page.locator("#land").scroll_into_view_if_needed()  # the matches are fetched when the card comes into view
    expect(page.locator("#carrier-matches")).to_contain_text("南川 12号地块 可供 100 亩，工业用地，已七通一平",
                                                             timeout=15_000)

    # supply it: the agreed start is required for a parcel
    page.locator("#land").get_by_role("link", name="登记供地").click()
    supply = form_with(page, "carrier_id")
    fill(supply, "carrier_id", "地块 · 12号地块（100.00 亩）")
    fill(supply, "supplied_on", today().isoformat())
    fill(supply, "contract_no", "NC-GD-2026-012")
    supply.get_by_role("button", name="登记供地").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("必填")
    fill(form_with(page, "carrier_id"), "agreed_start", today().isoformat())
    form_with(page, "carrier_id").get_by_role("button", name="登记供地").click()
    page.wait_for_url(re.compile(rf"/projects/{world.project['id']}#land$"))
    land = page.locator("#land")
    expect(land.locator("#intensity")).to_contain_text("620.00 万元/亩")
    expect(land).to_contain_text("符合用地优先保障")
    expect(land).to_contain_text("12号地块")
    expect(land).to_contain_text("NC-GD-2026-012")
    watch.assert_clean()
