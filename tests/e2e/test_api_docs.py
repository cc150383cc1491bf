"""/api/docs renders the API's description in the browser with nothing fetched from outside the app."""
from urllib.parse import urlparse

from tests.e2e.checks import DESKTOP

USERS = {"zhao_officer": ("officer", [], "赵专员")}


def test_api_docs_render_offline_from_the_apps_own_files(open_page, server):
    page, watch = open_page(DESKTOP, username="zhao_officer")
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page.goto(f"{server.url}/api/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=30_000)  # a 1.5 MB script to parse on a busy CI
    assert "招商引资管理系统 API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-tag-section").first.wait_for()
    tags = page.locator(".opblock-tag").all_inner_texts()
    assert any("events" in t for t in tags) and any("projects" in t for t in tags)
    signing = page.locator('.opblock-summary-path[data-path="/api/v1/events/{event_id}/signings"]')
    assert signing.is_visible()  # the cohort's signing in one call is described
    signing.click()
    page.locator(".opblock.is-open .opblock-section-request-body").wait_for()  # its request body's schema
    assert hosts == {urlparse(server.url).netloc}, hosts  # no CDN, no validator, no font service
    watch.assert_clean()
