"""Manager: this year's dashboard, drill into one park's 开工率, download the ledger and read it."""
import re
from types import SimpleNamespace

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.e2e.api_data import Api
from tests.e2e.checks import DESKTOP, PHONE, assert_charts_drawn, assert_chinese_rendered, assert_fits_width
from tests.e2e.dates import early_this_year

USERS = {"zhou_manager": ("manager", [], "周局长")}

# base -> (project name, started?); all signed this year, 80000 万元 each. 南川 is a base of the key park
# 西宁经济技术开发区, 察尔汗 of 柴达木循环经济试验区: the dashboard compares key parks.
PLAN = {
    "NANCHUAN": [("南川储能电池一期", True), ("南川正极材料二期", True), ("南川隔膜材料项目", False),
                 ("南川藏毯织造项目", False)],
    "CHAERHAN": [("察尔汗氯化钾扩能项目", True), ("察尔汗金属镁一体化项目", False)],
}


@pytest.fixture(scope="module")
def world(server):
    manager = "zhou_manager"
    api = Api(server.url, server.token(manager))
    on = early_this_year()
    for park, projects in PLAN.items():
        for index, (name, started) in enumerate(projects):
            company = api.company(f"{name[:4]}投资{index}有限公司", main_business=name)
            project = api.project(company["id"], park, name)
            stages = ["negotiating", "signed", "preparing"] + (["started"] if started else [])
            api.walk(project["id"], stages, on, agreed_investment="80000")
    return SimpleNamespace(manager=manager, year=on.year)


def park_row(page, park_name: str):
    return page.locator("#cmp-park tbody tr").filter(has=page.locator("td", has_text=park_name)).first


def test_manager_drills_into_a_start_rate_and_downloads_the_ledger(open_page, server, world, tmp_path):
    page, watch = open_page(DESKTOP, username=world.manager)
    page.goto(f"{server.url}/dashboard/")
    expect(page.locator("input[name=from]")).to_have_value(f"{world.year}-01-01")  # this year by default
    assert_charts_drawn(page, minimum=2)
    assert_chinese_rendered(page)
    assert_fits_width(page)
    page.get_by_role("tab", name="按产业").click()  # a chart drawn in a hidden tab must resize when shown
    expect(page.locator("#cmp-industry")).to_be_visible()
    assert_charts_drawn(page, minimum=2)
    page.get_by_role("tab", name="按园区").click()

    # 开工率 of 西宁经济技术开发区 (南川): 2 of 4 signed projects have started; the count opens exactly those two
    row = park_row(page, "西宁经济技术开发区")
    expect(row).to_contain_text("50.00%")
    started = row.locator("a[data-count$=':started']")
    expect(started).to_have_text("2")
    started.click()
    page.wait_for_url(re.compile(r"/dashboard/projects"))
    expect(page.locator("[data-total]")).to_have_text("2")
    listed = set(page.locator("tbody tr td:first-child a").all_inner_texts())
    assert listed == {name for name, started in PLAN["NANCHUAN"] if started}

    # the ledger downloads and reads back
    page.goto(f"{server.url}/reports/")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="下载项目台账").click()
    path = tmp_path / "ledger.xlsx"
    download_info.value.save_as(path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
    row = next(r for r in rows if "南川储能电池一期" in r)
    assert 80000 in [v for v in row if isinstance(v, int | float)] or "80000" in map(str, row), row
    assert "开工" in row, row
    watch.assert_clean()


def test_dashboard_fits_a_phone_and_draws_its_charts(open_page, server, world):
    page, watch = open_page(PHONE, username=world.manager)
    page.goto(f"{server.url}/dashboard/")
    assert_charts_drawn(page)
    assert_fits_width(page)
    watch.assert_clean()
