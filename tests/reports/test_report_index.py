"""The report index: fair reports grouped by kind of fair, the exports by month and by park."""
import re

from crm.events.models import Event, EventType
from tests import factories as f


def test_report_index_groups_reports_by_fair_month_and_park(seeded, login_as):
    for year in (2023, 2024, 2025):
        f.event(year, name=f"{year}青洽会")
    f.event_type("SOE", "央企青海行")
    f.event(2025, name="2025央企青海行", type_code="SOE")
    seeded.session.commit()
    editions = seeded.session.query(Event).join(Event.type).filter(EventType.code == "QHF").count()
    html = login_as("manager").get("/reports/").get_data(as_text=True)
    fair_group = re.search(r'data-group="fair".*?</section>', html, re.S).group(0)
    kinds = re.findall(r'<summary class="fw-semibold">([^<]+?) <span[^>]*>(\d+) 届', fair_group)
    assert ("青洽会", str(editions)) in kinds and ("央企青海行", "1") in kinds
    assert fair_group.index("2025青洽会") < fair_group.index("2023青洽会")  # newest edition first
    months = re.search(r'data-group="month".*?</section>', html, re.S).group(0)
    assert len(re.findall(r"/reports/ledger\.xlsx\?month=\d{4}-\d{2}\"", months)) == 12
    parks = re.search(r'data-group="park".*?</section>', html, re.S).group(0)
    assert "park=NANCHUAN" in parks and "南川工业园区" in parks


def test_park_staff_see_only_their_parks_in_the_index(seeded, login_as):
    html = login_as("park_staff", parks=["GANHE"]).get("/reports/").get_data(as_text=True)
    parks = re.search(r'data-group="park".*?</section>', html, re.S).group(0)
    assert "park=GANHE" in parks and "park=NANCHUAN" not in parks
