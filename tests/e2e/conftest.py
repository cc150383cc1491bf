"""Browser fixtures: Chromium (installed from Debian when missing), a live app per module, watched pages.

These tests run in the SQLite pass of `make test` only: each module starts the app on its own SQLite
database anyway, so the PostgreSQL pass would repeat them unchanged.
"""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.checks import DESKTOP, Watch, sign_in
from tests.e2e.live_server import PASSWORD, LiveServer
from tests.packages import apt_install

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="browser tests run in the SQLite pass only: each starts the app on "
                                      "its own SQLite database, so the PostgreSQL pass would repeat them")
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)
            if os.environ.get("CRM_TEST_DATABASE_URL"):
                item.add_marker(skip_pg)


def _has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


@pytest.fixture(scope="session")
def chromium_path() -> str:
    missing = [] if Path(CHROMIUM).exists() else ["chromium"]
    if not _has_cjk_font():
        missing.append("fonts-noto-cjk")
    if missing:
        apt_install(*sorted({*missing, "fonts-noto-cjk"}), needed_for="the browser tests")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """The app on a free port with a fresh, seeded database of its own; stopped after the module.

    The module's USERS (username -> (role, park codes, display name)) are created before it starts, after
    `crm demo --companies DEMO_COMPANIES` when the module sets that.
    """
    live = LiveServer(tmp_path_factory.mktemp("e2e-server"))
    users = getattr(request.module, "USERS", {})
    live.prepare([{"username": name, "role": role, "parks": list(parks), "name": display}
                  for name, (role, parks, display) in users.items()],
                 demo_companies=getattr(request.module, "DEMO_COMPANIES", 0),
                 demo_today=getattr(request.module, "DEMO_TODAY", ""))
    live.start()
    yield live
    live.stop()
    assert not live.tracebacks(), f"the server logged an exception:\n{live.tracebacks()}"


@pytest.fixture
def open_page(browser, server):
    """open_page(viewport=DESKTOP, username=None) -> (page, watch); signs in when a username is given."""
    contexts = []

    def make(viewport=DESKTOP, username: str | None = None, **context_options):
        context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai",
                                      accept_downloads=True, **context_options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch = Watch(page)
        if username:
            sign_in(page, server.url, username, PASSWORD)
        return page, watch

    yield make
    for context in contexts:
        context.close()
