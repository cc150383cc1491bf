"""Officer: find a company by pinyin initials, log a contact with a follow-up, create a lead, see it on the board."""
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.e2e.api_data import Api
from tests.e2e.checks import DESKTOP, PHONE, assert_chinese_rendered, assert_fits_width, fill, form_with
from tests.e2e.dates import today

USERS = {"zhao_officer": ("officer", [], "赵专员")}

TARGET = "东方锂业新材料有限公司"  # initials dfly…; a made-up company, as all test data here
PROJECT = "东方锂业年产2万吨磷酸铁锂项目"
DRAGGED = "东方锂业隔膜材料项目"


@pytest.fixture(scope="module")
def world(server):
    officer = "zhao_officer"
    api = Api(server.url, server.token(officer))
    target = api.company(TARGET, main_business="锂电池正极材料、磷酸铁锂和三元前驱体的研发与生产",
                         hq_province="江苏省", hq_city="常州市", ownership="民企")
    api.company("东方电气集团有限公司", main_business="发电设备、风电和光伏装备制造", ownership="央企")
    api.company("西部矿业股份有限公司", main_business="铜铅锌采选冶炼", ownership="地方国企")
    return SimpleNamespace(officer=officer, api=api, target=target)


def test_officer_finds_a_company_logs_a_contact_and_creates_a_lead(open_page, server, world):
    page, watch = open_page(DESKTOP, username=world.officer)
    follow_up = today() + timedelta(days=14)
    summary = "赴常州拜访，介绍南川工业园区锂电产业链与用地条件"

    # find the company by pinyin initials (the list updates in place as she types)
    page.goto(f"{server.url}/companies/")
    page.locator("input[name=q]").fill("dfly")
    table = page.locator("#company-table")
    expect(table.get_by_text("东方电气集团有限公司")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"q=dfly"))
    assert_chinese_rendered(page)
    table.get_by_role("link", name=TARGET).click()
    page.wait_for_url(re.compile(rf"/companies/{world.target['id']}$"))
    # the suggested parks arrive once their card is in view, with the reasons
    parks = page.locator("#company-parks")
    parks.scroll_into_view_if_needed()
    expect(parks.locator(".match-parks li").first).to_contain_text("南川")

    # add a contact log with a next follow-up date (htmx: the timeline shows it without a reload)
    log_form = page.locator("#log-form")
    fill(log_form, "kind", "拜访")
    fill(log_form, "summary", summary)
    fill(log_form, "next_step", "寄送园区资料，邀请来青考察")
    fill(log_form, "next_follow_up", follow_up.isoformat())
    log_form.locator("button[type=submit]").click()
    timeline = page.locator("#timeline")
    expect(timeline.get_by_text(summary)).to_be_visible()
    expect(timeline.get_by_text(follow_up.isoformat())).to_be_visible()

    # create a lead project from the company page, accepting the suggested park
    page.get_by_role("link", name="新建项目").click()
    suggestion = page.locator("[data-suggested-park]")
    suggested_park = suggestion.locator("strong").inner_text().split("：")[-1].strip()
    chosen = page.locator("form [name=park_id] option:checked")
    suggestion.get_by_role("button", name="选用该园区").click()  # by script, on the page
    expect(chosen).to_have_text(re.compile(re.escape(suggested_park)))
    suggestion.get_by_role("link", name="按建议填写").click()  # and without script: ?park=CODE
    form = form_with(page, "park_id")
    expect(form.locator("[name=park_id] option:checked")).to_have_text(re.compile(re.escape(suggested_park)))
    assert "南川" in suggested_park  # a lithium cathode maker belongs in 南川's lithium chain
    fill(form, "name", PROJECT)
    form.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/projects/\d+$"))
    expect(page.locator("h1")).to_contain_text(PROJECT)
    expect(page.locator("h1 .badge").first).to_have_text("线索")

    # see it on the board, in the 线索 column
    page.goto(f"{server.url}/projects/board")
    expect(page.locator("[data-stage=lead] .kanban-card").filter(has_text=PROJECT)).to_be_visible()
    assert_fits_width(page)
    watch.assert_clean()


def test_officer_drags_a_lead_to_negotiating_and_gives_the_date(open_page, server, world):
    lead = world.api.project(world.target["id"], "NANCHUAN", DRAGGED)
    page, watch = open_page(DESKTOP, username=world.officer)
    page.goto(f"{server.url}/projects/board")
    card = page.locator(f"[data-stage=lead] .kanban-card[data-project='{lead['id']}']")
    target = page.locator("[data-stage=negotiating]")
    assert target.bounding_box()["height"] >= 30, "an empty stage column must still be a drop target"
    card.locator(".text-muted").first.drag_to(target)
    dialog = page.locator("#transition-modal")
    expect(dialog.locator("[name=negotiating_date]")).to_be_visible()
    dialog.locator("[name=negotiating_date]").fill(today().isoformat())
    dialog.get_by_role("button", name="确认变更").click()
    expect(page.locator("[data-stage=negotiating]").get_by_role("link", name=DRAGGED)).to_be_visible()
    expect(page.locator("[data-stage=lead]").get_by_role("link", name=DRAGGED)).to_have_count(0)
    watch.assert_clean()


@pytest.mark.parametrize("path", ["/companies/", "/projects/board"])
def test_officer_pages_fit_a_phone(open_page, server, world, path):
    page, watch = open_page(PHONE, username=world.officer)
    page.goto(f"{server.url}{path}")
    assert_chinese_rendered(page)
    assert_fits_width(page)
    watch.assert_clean()
