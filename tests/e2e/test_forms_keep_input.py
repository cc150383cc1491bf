"""Forms answer bad input in place: the errors beside their fields, what was typed kept, focus on the first error."""
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.e2e.api_data import Api
from tests.e2e.checks import DESKTOP, fill
from tests.e2e.dates import early_this_year, today

USERS = {"qian_officer": ("officer", [], "钱专员"), "sun_staff": ("park_staff", ["NANCHUAN"], "孙园区")}


@pytest.fixture(scope="module")
def world(server):
    api = Api(server.url, server.token("qian_officer"))
    company = api.company("北辰储能科技有限公司", main_business="储能电池系统集成", ownership="民企")
    project = api.project(company["id"], "NANCHUAN", "北辰储能电池系统项目")
    api.walk(project["id"], ["negotiating", "signed"], early_this_year(), agreed_investment="20000")
    return SimpleNamespace(company=company, project=project)


def test_contact_log_form_on_the_company_page_shows_its_errors_in_place(open_page, server, world):
    page, watch = open_page(DESKTOP, username="qian_officer")
    watch.expect_status(422, r"/logs/new$")
    page.goto(f"{server.url}/companies/{world.company['id']}")
    form = page.locator("#log-form")
    past = today() - timedelta(days=30)
    fill(form, "next_step", "寄送园区资料")
    fill(form, "next_follow_up", past.isoformat())  # before the contact's date, and no summary at all
    form.locator("button[type=submit]").click()

    form = page.locator("#log-form")
    expect(form.locator(".invalid-feedback").first).to_be_visible()
    expect(form.locator("#summary-error")).to_contain_text("必填")
    expect(form.locator("[name=next_step]")).to_have_value("寄送园区资料")
    expect(form.locator("[name=next_follow_up]")).to_have_value(past.isoformat())
    expect(form.locator("[name=summary]")).to_be_focused()  # the first field in error takes the focus

    # with a summary, the follow-up date before the contact's own is refused beside its field
    form.locator("[name=summary]").fill("电话沟通储能项目用地需求")
    form.locator("button[type=submit]").click()
    expect(form.locator("#next_follow_up-error")).to_contain_text("不能早于")
    expect(form.locator("[name=summary]")).to_have_value("电话沟通储能项目用地需求")
    expect(form.locator("[name=next_follow_up]")).to_be_focused()
    expect(page.locator("#timeline").get_by_text("寄送园区资料")).to_have_count(0)
    watch.assert_clean()


def test_funds_form_keeps_typed_month_and_amount_and_accepts_chinese_months(open_page, server, world):
    page, watch = open_page(DESKTOP, username="sun_staff")
    watch.expect_status(422, r"/funds$")
    page.goto(f"{server.url}/projects/{world.project['id']}/funds/new")
    month = f"{today().year}年{today().month}月"
    fill(page, "period", month)
    fill(page, "amount", "五百")
    page.get_by_role("button", name="填报到位资金").click()

    amount = page.locator("[name=amount]")
    expect(amount).to_have_value("五百")
    expect(page.locator("[name=period]")).to_have_value(month)
    expect(page.locator("#amount-error")).to_contain_text("500")  # tells how to write it
    expect(amount).to_be_focused()

    amount.fill("500.5")
    page.get_by_role("button", name="填报到位资金").click()
    page.wait_for_url(re.compile(rf"/projects/{world.project['id']}(#funds)?$"))
    expect(page.get_by_role("alert")).to_contain_text("到位资金已保存")
    expect(page.locator("#funds")).to_contain_text("500.50")
    watch.assert_clean()


def test_raising_a_problem_confirms_it_was_saved(open_page, server, world):
    page, watch = open_page(DESKTOP, username="sun_staff")
    page.goto(f"{server.url}/projects/{world.project['id']}")
    page.locator("#problems").get_by_role("link", name="提出问题").click()
    form = page.locator("form").filter(has=page.locator("[name=description]"))
    fill(form, "description", "园区变电站容量不足，需协调供电公司扩容")
    form.get_by_role("button", name="提出问题").click()
    expect(page.get_by_role("alert")).to_contain_text("问题已提出")
    expect(page.locator("#problems")).to_contain_text("变电站容量不足")
    watch.assert_clean()
