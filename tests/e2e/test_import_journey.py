"""Import: a companies file with a broken row; the preview refuses it, the rest commits, the report downloads."""
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.e2e.checks import DESKTOP, assert_fits_width

USERS = {"zheng_officer": ("officer", [], "郑专员")}

def valid_credit_code(body: str = "91630100MA7") -> str:
    """A credit code with a correct check character, made with the same library the app uses."""
    from stdnum.cn import uscc

    stem = (body + "0" * 17)[:17]
    return stem + uscc.calc_check_digit(stem)


def broken_credit_code() -> str:
    code = valid_credit_code("91110000MA8")
    return code[:-1] + ("1" if code[-1] != "1" else "2")


@pytest.fixture(scope="module")
def officer(server):
    return "zheng_officer"


@pytest.fixture
def companies_file(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["企业名称", "统一社会信用代码", "企业性质", "主营业务", "总部所在省份"])
    sheet.append(["高原光伏玻璃有限公司", valid_credit_code("91630100MA7"), "民企", "光伏玻璃", "青海省"])
    sheet.append(["码错了科技有限公司", broken_credit_code(), "民企", "软件", "北京市"])
    sheet.append(["昆仑镁业有限公司", valid_credit_code("91630200MA7"), "地方国企", "金属镁及镁合金", "青海省"])
    path = tmp_path / "企业名录.xlsx"
    book.save(path)
    return path


def test_import_preview_refuses_the_broken_row_and_commits_the_rest(open_page, server, officer, companies_file,
                                                                    tmp_path):
    page, watch = open_page(DESKTOP, username=officer)
    page.goto(f"{server.url}/companies/")
    page.get_by_role("link", name="导入").click()
    page.locator("input[type=file]").set_input_files(companies_file)
    page.get_by_role("button", name="上传并预览").click()

    # the preview gives every row its fate; the broken credit code is refused with the reason
    expect(page.locator("h1")).to_contain_text("导入预览")
    refused = page.locator("tbody tr").filter(has_text="码错了科技有限公司")
    expect(refused).to_have_attribute("data-fate", "refused")
    expect(refused).to_contain_text("信用代码")
    for name in ("高原光伏玻璃有限公司", "昆仑镁业有限公司"):
        expect(page.locator("tbody tr").filter(has_text=name)).to_have_attribute("data-fate", "new")
    assert_fits_width(page)

    # commit: the rows are written in the background while the page shows the progress, then the report
    page.get_by_role("button", name=re.compile("确认导入")).click()
    expect(page.locator("h1")).to_contain_text("导入报告")
    expect(page.locator("p .badge").first).to_have_text("新增 2")
    # the report of refused rows downloads and names the broken row only
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("下载被拒绝的行")).click()
    report = tmp_path / "refused.xlsx"
    download_info.value.save_as(report)
    cells = [str(v) for row in openpyxl.load_workbook(report).active.iter_rows(values_only=True) for v in row if v]
    assert "码错了科技有限公司" in cells
    assert "高原光伏玻璃有限公司" not in cells

    # the good rows are in the database, found by pinyin initials
    page.goto(f"{server.url}/companies/?q=gygf")
    expect(page.locator("#company-table")).to_contain_text("高原光伏玻璃有限公司")
    expect(page.locator("#company-table")).not_to_contain_text("码错了科技有限公司")
    watch.assert_clean()
