"""axe-core (served from static/vendor, installed from npm) on the main pages: no serious or critical violation.

Also the keyboard's way in: a skip link first, a focus ring one can see on the navbar, and a title per page.
"""
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.e2e.api_data import Api
from tests.e2e.checks import DESKTOP

USERS = {"axe_manager": ("manager", [], "吴局长")}
DEMO_COMPANIES = 200
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe.min.js"

# path (formatted with the demo's ids), text that shows the page is there
PAGES = [
    ("/home", "您好"),
    ("/companies/", "企业名称"),
    ("/companies/{company_id}", "时间线"),
    ("/contacts/logs", "接洽记录"),
    ("/projects/", "招商项目"),
    ("/projects/{project_id}", "阶段"),
    ("/projects/board", "项目看板"),
    ("/events/", "展会活动"),
    ("/events/{event_id}", "履约率"),
    ("/parks/", "园区"),
    ("/parks/NANCHUAN", "产业"),
    ("/dashboard/", "开工率"),
    ("/reports/", "台账与报表"),
    ("/reports/fair/{event_id}", "履约率"),
    ("/notifications/", "通知"),
]


@pytest.fixture(scope="module")
def demo(server):
    api = Api(server.url, server.token("axe_manager"))
    projects = api.get("/projects?per_page=100")["items"]
    with_fair = next(p for p in projects if p.get("event_id"))
    return SimpleNamespace(manager="axe_manager", ids={"company_id": with_fair["company"]["id"],
                                                      "project_id": with_fair["id"], "event_id": with_fair["event_id"]})


def _serious_violations(page, base_url: str) -> list[str]:
    assert AXE.exists(), "static/vendor/axe.min.js is missing: run make setup"
    page.add_script_tag(url=f"{base_url}/static/vendor/axe.min.js")  # the app's own copy: the CSP allows 'self'

    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""")
    return [json.dumps(v, ensure_ascii=False) for v in found]


@pytest.mark.parametrize(("path", "expected"), PAGES, ids=[p for p, _ in PAGES])
def test_no_serious_or_critical_axe_violation(open_page, server, demo, path, expected):
    page, watch = open_page(DESKTOP, username=demo.manager)
    page.goto(server.url + path.format(**demo.ids))
    expect(page.get_by_text(expected).first).to_be_attached()
    assert _serious_violations(page, server.url) == []
    title = page.title()
    assert title.endswith(" — 招商引资管理系统") and len(title) > len(" — 招商引资管理系统"), title
    watch.assert_clean()


def test_sign_in_page_passes_axe(open_page, server):
    page, _watch = open_page(DESKTOP)
    page.goto(f"{server.url}/login")
    assert _serious_violations(page, server.url) == []
    assert page.title() == "登录 — 招商引资管理系统"


def test_pages_carry_their_own_names_in_the_title(open_page, server, demo):
    page, _watch = open_page(DESKTOP, username=demo.manager)
    page.goto(server.url + "/companies/{company_id}".format(**demo.ids))
    name = page.locator("h1").first.inner_text().split("\n")[0].strip()
    assert page.title().startswith(f"企业 · {name.split(' ')[0]}")
    page.goto(server.url + "/events/{event_id}".format(**demo.ids))
    assert page.title().startswith("展会活动 · ")


def test_skip_link_comes_first_and_the_navbar_shows_where_focus_is(open_page, server, demo):
    page, _watch = open_page(DESKTOP, username=demo.manager)
    page.goto(f"{server.url}/companies/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.goto(f"{server.url}/companies/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the brand, first in the navbar
    brand = page.locator(".navbar-brand")
    expect(brand).to_be_focused()
    outline = brand.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }")
    assert outline[0] == "solid" and float(outline[1].removesuffix("px")) >= 2, outline


def test_a_long_list_jumps_to_a_numbered_page(open_page, server, demo):
    page, watch = open_page(DESKTOP, username=demo.manager)
    page.goto(f"{server.url}/companies/?sort=created")
    pager = page.locator("nav[data-pager]").first
    expect(pager).to_contain_text("第 1 / ")
    last = int(pager.inner_text().split("第 1 / ")[1].split(" ")[0].rstrip("页+"))
    assert last >= 3
    first_row = page.locator("table tbody tr").first.inner_text()
    pager.get_by_label("跳至").fill("3")
    pager.get_by_role("button", name="跳转").click()
    page.wait_for_url("**page=3**")
    expect(page.locator("nav[data-pager]").first).to_contain_text("第 3 / ")
    assert page.locator("table tbody tr").first.inner_text() != first_row
    page.locator("nav[data-pager]").first.get_by_role("link", name="下一页").click()
    page.wait_for_url("**after=**")  # read on from where page 3 ended
    expect(page.locator("nav[data-pager]").first).to_contain_text("第 4 / ")
    watch.assert_clean()


def test_choosing_a_fair_on_the_dashboard_sets_the_period_to_its_cohort(open_page, server, demo):
    page, watch = open_page(DESKTOP, username=demo.manager)
    page.goto(f"{server.url}/dashboard/")
    fair = page.locator(f"#f-event option[value='{demo.ids['event_id']}']")
    first, last = fair.get_attribute("data-from"), fair.get_attribute("data-to")
    assert first and last
    page.locator("#f-event").select_option(str(demo.ids["event_id"]))
    expect(page.locator("#f-from")).to_have_value(first)  # the fair's first and last signing
    expect(page.locator("#f-to")).to_have_value(last)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(f"**event={demo.ids['event_id']}**")
    expect(page.locator("[data-why-empty]")).to_have_count(0)
    assert int(page.locator("a[data-count='signed']").first.inner_text()) > 0
    # an empty combination says why instead of showing 0/0
    page.locator("#f-from").fill("2001-01-01")
    page.locator("#f-to").fill("2001-12-31")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("[data-why-empty]")).to_contain_text("签约日期 2001-01-01 至 2001-12-31：没有签约项目")
    watch.assert_clean()
