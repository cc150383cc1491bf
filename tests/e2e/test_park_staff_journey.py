"""Park staff: only their parks' projects; start a signed project, report the month's funds, raise a problem."""
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.e2e.api_data import Api
from tests.e2e.checks import DESKTOP, PHONE, assert_chinese_rendered, assert_fits_width, fill, form_with
from tests.e2e.dates import early_this_year, today

USERS = {"qian_manager": ("manager", [], "钱局长"), "sun_staff": ("park_staff", ["NANCHUAN"], "孙园区")}

OURS = "南川年产5万吨锂电正极材料项目"
THEIRS = "甘河煤焦油深加工项目"


@pytest.fixture(scope="module")
def world(server):
    manager, staff = "qian_manager", "sun_staff"
    api = Api(server.url, server.token(manager))
    signed_on = early_this_year()
    company = api.company("南方锂材科技有限公司", main_business="锂电池正极材料")
    other = api.company("北方焦化集团有限公司", main_business="煤焦油深加工、针状焦")
    ours = api.project(company["id"], "NANCHUAN", OURS)
    theirs = api.project(other["id"], "GANHE", THEIRS)
    for project in (ours, theirs):
        api.walk(project["id"], ["negotiating", "signed"], signed_on, agreed_investment="80000")
    return SimpleNamespace(staff=staff, ours=ours, theirs=theirs, signed_on=signed_on)


def test_park_staff_starts_a_project_reports_funds_and_raises_a_problem(open_page, server, world):
    page, watch = open_page(DESKTOP, username=world.staff)
    started_on = today()
    problem_text = "110千伏变电站接入迟迟未批，影响设备调试"

    # only their parks' projects
    page.goto(f"{server.url}/projects/")
    expect(page.get_by_role("link", name=OURS)).to_be_visible()
    expect(page.get_by_text(THEIRS)).to_have_count(0)
    assert_chinese_rendered(page)

    # move the signed project to 开工 with its date (the skipped 前期 asks for its date too)
    page.get_by_role("link", name=OURS).click()
    page.wait_for_url(re.compile(rf"/projects/{world.ours['id']}$"))
    page.get_by_role("link", name="变更为开工").click()
    transition = page.locator("form.transition-form")
    expect(transition.locator("[name=started_date]")).to_be_visible()
    for date_input in transition.locator("input[type=date]").all():
        if not date_input.input_value():
            date_input.fill(started_on.isoformat())
    transition.get_by_role("button", name="确认变更").click()
    page.wait_for_url(re.compile(rf"/projects/{world.ours['id']}$"))
    expect(page.locator("h1 .badge").first).to_have_text("开工")
    expect(page.locator("#history")).to_contain_text(f"签约 → 开工 {started_on.isoformat()}")

    # report this month's funds: the form opens in place of its button
    page.get_by_role("link", name="填报到位资金").click()
    funds = form_with(page, "amount")
    fill(funds, "period", started_on.strftime("%Y-%m"))
    fill(funds, "amount", "1200")
    funds.get_by_role("button", name="填报到位资金").click()
    expect(page.locator("#funds tbody")).to_contain_text("1,200.00")
    expect(page.locator("#funds tbody")).to_contain_text(started_on.strftime("%Y-%m"))

    # raise a problem
    page.get_by_role("link", name="提出问题").click()
    problem = form_with(page, "description")
    fill(problem, "description", problem_text)
    fill(problem, "category", "用电")
    fill(problem, "responsible_unit", "国网西宁供电公司")
    problem.get_by_role("button", name="提出问题").click()
    expect(page.locator("#problems")).to_contain_text(problem_text)
    watch.assert_clean()


def test_park_staff_cannot_open_another_parks_project_by_url(open_page, server, world):
    page, watch = open_page(DESKTOP, username=world.staff)
    watch.expect_status(404, rf"/projects/{world.theirs['id']}$")
    answer = page.goto(f"{server.url}/projects/{world.theirs['id']}")
    assert answer.status == 404
    assert THEIRS not in page.content()
    watch.assert_clean()


def test_park_staff_project_page_fits_a_phone(open_page, server, world):
    page, watch = open_page(PHONE, username=world.staff)
    page.goto(f"{server.url}/projects/{world.ours['id']}")
    assert page.get_by_text(OURS).first.is_visible()
    assert_fits_width(page)
    watch.assert_clean()
