"""Admin: edit a base's chain-link keywords; the chain map shows the change and the link's new candidates."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.api_data import Api
from tests.e2e.checks import DESKTOP, PHONE, assert_chinese_rendered, assert_fits_width

USERS = {"wu_admin": ("admin", [], "吴管理员")}

LINK = "配送服务"  # 南川's 藏毯 chain: 原毛分梳 → 纺纱 → 织毯 → 配送服务
NEW_KEYWORD = "跨境直播电商"
COMPANY = "云栈跨境直播电商有限公司"


@pytest.fixture(scope="module")
def admin(server):
    Api(server.url, server.token("wu_admin")).company(
        COMPANY, main_business="跨境直播电商、海外仓运营", ownership="民企", hq_province="浙江省")
    return "wu_admin"


def open_link_panel(page):
    page.locator("a[data-link-id]").filter(has_text=LINK).first.click()
    panel = page.locator("#link-panel")
    expect(panel.locator(".card-header")).to_contain_text(LINK)
    return panel


def test_admin_edits_link_keywords_and_the_chain_map_shows_them(open_page, server, admin):
    page, watch = open_page(DESKTOP, username=admin)
    page.goto(f"{server.url}/parks/NANCHUAN")
    assert_chinese_rendered(page)
    panel = open_link_panel(page)
    expect(panel).not_to_contain_text(NEW_KEYWORD)
    expect(panel).not_to_contain_text(COMPANY)

    page.locator("#park-admin summary").click()
    form = page.locator("#park-admin form").filter(has=page.locator(f"input[name=name][value='{LINK}']"))
    keywords = form.locator("input[name=keywords]")
    keywords.fill(keywords.input_value() + f"、{NEW_KEYWORD}")
    form.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/parks/NANCHUAN"))
    saved = page.locator("#park-admin form").filter(has=page.locator(f"input[name=name][value='{LINK}']"))
    expect(saved.locator("input[name=keywords]")).to_have_value(re.compile(NEW_KEYWORD))

    page.goto(f"{server.url}/parks/NANCHUAN/chains")
    panel = open_link_panel(page)
    expect(panel).to_contain_text(NEW_KEYWORD)
    expect(panel.locator("tbody")).to_contain_text(COMPANY)
    assert_fits_width(page)
    watch.assert_clean()


def test_chain_map_fits_a_phone(open_page, server, admin):
    page, watch = open_page(PHONE, username=admin)
    page.goto(f"{server.url}/parks/NANCHUAN/chains")
    open_link_panel(page)
    assert_fits_width(page)
    watch.assert_clean()
