"""Screenshots of the main screens for the README, from a live app filled by `crm demo` for a fixed day.

Every test run writes them to tests/e2e/output/screenshots/ (ignored by git), so `make test` leaves the working
tree as it was; `make screenshots` writes them to docs/screenshots/ (CRM_SCREENSHOTS_DIR) for the README.
"""
import os
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.api_data import Api
from tests.e2e.checks import DESKTOP, PHONE, assert_charts_drawn, assert_chinese_rendered

USERS = {"shot_manager": ("manager", [], "马局长"), "shot_officer": ("officer", [], "李专员")}
DEMO_COMPANIES = 1000  # about 250 projects: lists, board and charts look like a working office
DEMO_TODAY = "2026-11-30"  # the demo's "today": the same data, hence the same pictures, on any day
ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / os.environ.get("CRM_SCREENSHOTS_DIR", "tests/e2e/output/screenshots")

# file name, viewport, path (formatted with the ids below), text that shows the screen is there, has charts
SCREENS = [
    ("home-manager", DESKTOP, "/home", "年度招商成效", False),
    ("home-officer", DESKTOP, "/home", "跟进", False),
    ("dashboard", DESKTOP, "/dashboard/?from=2026-01-01&to=2026-11-30", "开工率", True),
    ("companies", DESKTOP, "/companies/?sort=last_contact", "企业名称", False),
    ("company", DESKTOP, "/companies/{company_id}", "时间线", False),
    ("board", DESKTOP, "/projects/board", "项目看板", False),
    ("chain-map", DESKTOP, "/parks/NANCHUAN/chains", "产业链图谱", False),
    ("fair-report", DESKTOP, "/reports/fair/{event_id}", "履约率", False),
    ("dashboard-phone", PHONE, "/dashboard/?from=2026-01-01&to=2026-11-30", "开工率", True),
    ("company-phone", PHONE, "/companies/{company_id}", "时间线", False),
]


@pytest.fixture(scope="module")
def demo(server):
    """The busiest company and fair of the demo data, found through the API."""
    api = Api(server.url, server.token("shot_manager"))
    projects = []
    for page in range(1, 20):
        answer = api.get(f"/projects?per_page=100&page={page}")
        projects += answer["items"]
        if len(projects) >= answer["total"] or not answer["items"]:
            break
    companies = Counter(p["company"]["id"] for p in projects)
    fairs = Counter(p["event_id"] for p in projects if p.get("event_id"))
    _officer_follow_ups(Api(server.url, server.token("shot_officer")), [c for c, _n in companies.most_common(6)])
    return SimpleNamespace(manager="shot_manager", ids={"company_id": companies.most_common(1)[0][0],
                                                       "event_id": fairs.most_common(1)[0][0]})


def _officer_follow_ups(api: Api, company_ids: list[int]) -> None:
    """The officer's own follow-ups for the officer's home page: one due today, the others overdue."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the server's today, whatever the demo's
    for back, company_id in enumerate(company_ids):
        due = today - timedelta(days=back * 2)
        api.post(f"/companies/{company_id}/logs", {
            "date": (today - timedelta(days=20 + back)).isoformat(), "kind": "电话", "summary": "电话沟通投资意向",
            "next_step": "寄送园区资料，约定实地考察", "next_follow_up": due.isoformat()})


@pytest.mark.parametrize(("name", "viewport", "path", "expected", "charts"), SCREENS, ids=[s[0] for s in SCREENS])
def test_screenshot(open_page, server, demo, name, viewport, path, expected, charts):
    page, watch = open_page(viewport, username="shot_officer" if name == "home-officer" else demo.manager)
    page.goto(server.url + path.format(**demo.ids))
    expect(page.get_by_text(expected).first).to_be_attached()
    if name == "chain-map":  # show a link's panel too: the projects on it and the companies that could fill it
        page.locator("a[data-link-id]").filter(has_text="正极、负极、隔膜材料").first.click()
        expect(page.locator("#link-panel .card-header")).to_contain_text("正极、负极、隔膜材料")
    if charts:
        assert_charts_drawn(page)
        page.wait_for_timeout(800)  # ECharts animates its first frame in
    page.evaluate("() => document.fonts.ready")
    assert_chinese_rendered(page)
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUT / f"{name}.png")
    watch.assert_clean()
