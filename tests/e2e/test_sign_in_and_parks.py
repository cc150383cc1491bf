"""Sign in, the home page, the profile and the parks pages, on an office screen and on a phone."""
import re

import pytest

from tests.e2e.checks import DESKTOP, PHONE, assert_chinese_rendered, assert_fits_width, sign_in
from tests.e2e.live_server import PASSWORD

USERS = {"li_officer": ("officer", [], "李专员"), "wang_staff": ("park_staff", ["NANCHUAN"], "王园区")}


@pytest.fixture(scope="module")
def users(server):
    return {"officer": "li_officer", "staff": "wang_staff"}


def test_wrong_password_is_refused_with_a_message(open_page, server, users):
    page, watch = open_page()
    watch.expect_status(401, r"/login$")
    page.goto(f"{server.url}/login")
    page.locator("input[name=username]").fill(users["officer"])
    page.locator("input[name=password]").fill("not-the-password")
    page.locator("form button[type=submit]").click()
    assert page.locator(".alert-danger").is_visible()
    assert re.search(r"/login", page.url)
    watch.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x768", "390x844"])
def test_officer_signs_in_and_reads_the_parks_and_chains(open_page, server, users, viewport):
    page, watch = open_page(viewport)
    sign_in(page, server.url, users["officer"], PASSWORD)
    assert page.get_by_text("李专员").first.is_visible() or viewport == PHONE  # the phone folds the menu
    assert_chinese_rendered(page)
    assert_fits_width(page)

    page.goto(f"{server.url}/parks/")
    assert page.get_by_text("西宁经济技术开发区").first.is_visible()
    assert_fits_width(page)
    page.goto(f"{server.url}/parks/NANCHUAN")
    assert page.get_by_text("南川").first.is_visible()
    assert_chinese_rendered(page, "h1")
    assert_fits_width(page)

    page.goto(f"{server.url}/profile")
    assert page.locator("input[name=display_name]").input_value() == "李专员"
    assert_fits_width(page)
    watch.assert_clean()


def test_phone_menu_opens_and_leads_to_the_parks(open_page, server, users):
    page, watch = open_page(PHONE, username=users["officer"])
    page.locator(".navbar-toggler").click()
    page.locator("#nav").get_by_role("link", name="园区与产业链").click()
    page.wait_for_url(re.compile(r"/parks/"))
    watch.assert_clean()


def test_sign_out_ends_the_session(open_page, server, users):
    page, watch = open_page(username=users["officer"])
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r"/login"))
    page.goto(f"{server.url}/profile")
    assert re.search(r"/login", page.url)
    watch.assert_clean()
