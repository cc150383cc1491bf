"""Company fields suggest companies as one types: short names and pinyin work, the keyboard picks, and
"新建企业" is offered only when no company of that name exists."""
import re

from playwright.sync_api import expect

from tests.e2e.checks import DESKTOP

USERS = {"li_officer": ("officer", [], "李专员")}


def test_the_project_form_suggests_companies_and_the_keyboard_picks_one(open_page, server):
    page, watch = open_page(DESKTOP, username="li_officer")
    page.goto(f"{server.url}/projects/new")
    company = page.locator("input[name=company]")
    company.press_sequentially("中石化", delay=30)
    options = page.locator("#company-suggestions [role=option]")
    expect(options.first).to_contain_text("中国石油化工集团有限公司")
    expect(page.locator("#company-suggestions")).not_to_contain_text("新建企业")  # 中石化 is its short name
    company.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    company.press("Enter")
    expect(company).to_have_value("中国石油化工集团有限公司")
    expect(page.locator("input[name=company_id]")).to_have_value(re.compile(r"^\d+$"))
    expect(options).to_have_count(0)
    watch.assert_clean()


def test_create_new_is_offered_only_for_a_name_no_company_has(open_page, server):
    page, watch = open_page(DESKTOP, username="li_officer")
    page.goto(f"{server.url}/projects/new")
    company = page.locator("input[name=company]")
    company.fill("中国石油化工集团有限公司")
    box = page.locator("#company-suggestions")
    expect(box.locator("[role=option]").first).to_contain_text("中国石油化工集团有限公司")
    expect(box).not_to_contain_text("新建企业")
    company.fill("北辰氢能装备有限公司")
    expect(box).to_contain_text("没有名称、简称或拼音")
    expect(box.get_by_role("option", name=re.compile("新建企业“北辰氢能装备有限公司”"))).to_be_visible()
    company.press("Escape")
    watch.assert_clean()
