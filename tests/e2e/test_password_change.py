"""Changing one's password under gunicorn, as production runs: the change succeeds, the session goes on,
the new password signs in and the old one no longer does; the same after an admin resets a password."""
import re

import pytest

from tests.e2e.checks import sign_in
from tests.e2e.live_server import PASSWORD, LiveServer

USERS = {"zhao_officer": ("officer", [], "赵专员"), "qian_officer": ("officer", [], "钱专员"),
         "sun_admin": ("admin", [], "孙管理员")}
NEW_PASSWORD = "Yanhu-Lithium-Golmud-2027"
RESET_PASSWORD = "Qaidam-Basin-Reset-2027"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("e2e-gunicorn"))
    live.prepare([{"username": name, "role": role, "parks": list(parks), "name": display}
                  for name, (role, parks, display) in USERS.items()])
    live.start(gunicorn=True)
    yield live
    live.stop()
    assert not live.tracebacks(), f"the server logged an exception:\n{live.tracebacks()}"


def _change_password(page, base_url: str, current: str, new: str) -> None:
    page.goto(f"{base_url}/profile")
    form = page.locator("form[action$='/profile/password']")
    form.locator("input[name=current]").fill(current)
    form.locator("input[name=new]").fill(new)
    form.locator("input[name=confirm]").fill(new)
    with page.expect_response(re.compile(r"/profile/password$")) as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.status == 302, f"the change answered {answer.value.status}"
    page.wait_for_url(re.compile(r"/profile$"))
    assert page.get_by_text("密码已修改").is_visible()


def _refused(page, base_url: str, username: str, password: str) -> bool:
    page.goto(f"{base_url}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    return "/login" in page.url and page.locator(".alert-danger").is_visible()


def test_a_changed_password_keeps_the_session_and_replaces_the_old_one(open_page, server):
    page, watch = open_page(username="zhao_officer")
    watch.expect_status(401, r"/login$")
    _change_password(page, server.url, PASSWORD, NEW_PASSWORD)
    page.goto(f"{server.url}/home")
    assert re.search(r"/home$", page.url), "the change signed the user out"
    other, _watch = open_page()
    assert _refused(other, server.url, "zhao_officer", PASSWORD)
    sign_in(other, server.url, "zhao_officer", NEW_PASSWORD)
    watch.assert_clean()


def test_the_forced_change_after_an_admin_reset_succeeds(open_page, server):
    admin, admin_watch = open_page(username="sun_admin")
    admin.goto(f"{server.url}/admin/users")
    admin.get_by_role("link", name=re.compile("qian_officer|钱专员")).first.click()
    admin.locator("input[name=password]").fill(RESET_PASSWORD)
    admin.locator("form.card button[type=submit]").click()
    admin.wait_for_url(re.compile(r"/admin/users$"))

    page, watch = open_page()
    page.goto(f"{server.url}/login")
    page.locator("input[name=username]").fill("qian_officer")
    page.locator("input[name=password]").fill(RESET_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/profile$"))  # a reset password asks for a change before anything else
    _change_password(page, server.url, RESET_PASSWORD, NEW_PASSWORD + "q")
    page.goto(f"{server.url}/home")
    assert re.search(r"/home$", page.url)
    watch.assert_clean()
    admin_watch.assert_clean()
