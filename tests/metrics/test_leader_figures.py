"""What a leader reads on the dashboard: a funnel that narrows, targets in their own units, rates to two places."""
import json
import re
from datetime import date
from decimal import Decimal

from crm.metrics.models import PROVINCE, Target
from crm.projects.models import FundsEntry
from crm.projects.stages import Stage
from tests import factories as f

THIS_YEAR = date.today().year


def _pipeline(seeded):
    """2 leads, 1 negotiating, 1 signed, 1 started, 1 producing, 1 dropped; 3 signed this year."""
    signed = date(THIS_YEAR, 2, 1)
    for _ in range(2):
        f.project("NANCHUAN", Stage.lead)
    f.project("NANCHUAN", Stage.negotiating, negotiating_date=signed)
    f.project("NANCHUAN", Stage.signed, signed_date=signed, agreed_investment=Decimal("3000"))
    started = f.project("GANHE", Stage.started, signed_date=signed, agreed_investment=Decimal("3000"))
    f.project("GANHE", Stage.producing, signed_date=date(THIS_YEAR - 1, 5, 1), agreed_investment=Decimal("1000"))
    f.project("GANHE", Stage.dropped, signed_date=signed, agreed_investment=Decimal("1000"))
    seeded.session.add_all([
        FundsEntry(project_id=started.id, period=date(THIS_YEAR, 3, 1), amount=Decimal("1100")),
        FundsEntry(project_id=started.id, period=date(THIS_YEAR - 1, 3, 1), amount=Decimal("1000")),
    ])
    seeded.session.commit()


def _chart(html: str, name: str) -> dict:
    return json.loads(re.search(rf'<script type="application/json" id="{name}-data">(.*?)</script>', html, re.S)
                      .group(1))


def test_funnel_counts_projects_that_reached_at_least_each_stage(seeded, login_as):
    _pipeline(seeded)
    html = login_as("manager").get("/dashboard/").get_data(as_text=True)
    funnel, dropped = _chart(html, "funnel")["series"]
    values = [level["value"] for level in funnel["data"]]
    assert values == [6, 4, 3, 2, 2, 1]  # 线索 … 投产: each level holds those that went further
    assert values == sorted(values, reverse=True)
    assert dropped["data"][0]["name"] == "终止" and dropped["data"][0]["value"] == 1
    assert 'data-count="reached_negotiating">4</a>' in html and 'data-count="funnel_dropped">1</a>' in html


def test_targets_print_counts_as_counts_and_growth_in_percent(seeded, login_as):
    _pipeline(seeded)
    seeded.session.query(Target).delete()  # the seeds set the province's targets; these are the test's own
    for metric, value in (("signed", 5), ("start_rate", 50), ("funds_growth", 10), ("funds_arrived", 3000)):
        seeded.session.add(Target(unit=PROVINCE, year=THIS_YEAR, metric=metric, value=Decimal(value)))
    seeded.session.commit()
    html = login_as("manager").get("/dashboard/").get_data(as_text=True)
    shown = dict(re.findall(r'<span data-target="(\w+)">([^<（]+)（', html))
    assert shown["signed"] == "3 / 5"  # this year's signings: signed, started, dropped
    assert shown["start_rate"] == "33.33% / 50.00%"
    assert shown["funds_growth"] == "10.00% / 10.00%"  # 1,100 on last year's 1,000
    assert shown["funds_arrived"] == "1,100.00 / 3,000.00"
    page = login_as("admin").get("/dashboard/targets").get_data(as_text=True)
    assert ">5</td>" in page and ">50.00%</td>" in page and "5.00</td>" not in page


def test_rates_print_two_decimals_in_page_and_api(seeded, login_as, api_as):
    _pipeline(seeded)
    html = login_as("manager").get("/dashboard/").get_data(as_text=True)
    assert 'data-figure="start_rate">33.33%' in html and 'data-figure="performance_rate">33.33%' in html
    body = api_as("manager").get(f"/api/v1/metrics?from={THIS_YEAR}-01-01&to={THIS_YEAR}-12-31").get_json()
    assert body["start_rate"]["value"] == 33.33 and body["start_rate"]["text"] == "33.33%"


def test_choosing_a_fair_shows_its_whole_cohort_and_an_empty_combination_says_why(seeded, login_as):
    fair = f.event(THIS_YEAR - 1, name="第二十五届青洽会")
    for day in (date(THIS_YEAR - 1, 7, 1), date(THIS_YEAR - 1, 7, 2)):
        f.project("NANCHUAN", Stage.started, signed_date=day, event_id=fair.id, agreed_investment=Decimal("100"))
    seeded.session.commit()
    client = login_as("manager")
    html = client.get(f"/dashboard/?event={fair.id}").get_data(as_text=True)
    assert 'data-figure="start_rate">100.00%' in html and "data-why-empty" not in html
    # the fair's option carries its cohort's signing span, which the form's script copies into the dates
    assert f'value="{fair.id}" data-from="{THIS_YEAR - 1}-07-01" data-to="{THIS_YEAR - 1}-07-02"' in html
    # this year's dates with last year's fair: nothing, and the page says what each filter holds alone
    empty = client.get(f"/dashboard/?event={fair.id}&from={THIS_YEAR}-01-01&to={THIS_YEAR}-12-31")
    text = empty.get_data(as_text=True)
    assert empty.status_code == 200 and "data-why-empty" in text and "所选条件下没有签约项目" in text
    assert f"签约日期 {THIS_YEAR}-01-01 至 {THIS_YEAR}-12-31：没有签约项目" in text
    assert (f"展会「第二十五届青洽会」：共 2 个签约项目（签约日期 {THIS_YEAR - 1}-07-01 至 {THIS_YEAR - 1}-07-02）"
            in text)


def test_a_fairs_page_shows_its_cohorts_rates_and_links_to_its_report(seeded, login_as):
    fair = f.event(THIS_YEAR - 1, name="第二十五届青洽会")
    signed = date(THIS_YEAR - 1, 7, 1)
    started = f.project("NANCHUAN", Stage.started, signed_date=signed, event_id=fair.id,
                        agreed_investment=Decimal("3000"))
    f.project("NANCHUAN", Stage.producing, signed_date=signed, event_id=fair.id, agreed_investment=Decimal("1000"))
    f.project("GANHE", Stage.signed, signed_date=signed, event_id=fair.id, agreed_investment=Decimal("2000"))
    seeded.session.add(FundsEntry(project_id=started.id, period=date(THIS_YEAR - 1, 9, 1), amount=Decimal("1159.2")))
    seeded.session.commit()
    html = login_as("manager").get(f"/events/{fair.id}").get_data(as_text=True)
    assert 'data-figure="performance_rate">66.67%' in html and 'data-figure="start_rate">66.67%' in html
    assert 'data-figure="production_rate">50.00%' in html
    assert 'data-figure="funds_arrival_rate">19.32%' in html  # 1,159.2 of 6,000 万元
    assert f'href="/reports/fair/{fair.id}"' in html and f'href="/dashboard/?event={fair.id}"' in html
    # park staff see the rates of their own parks' projects only
    staff = login_as("park_staff", parks=["GANHE"]).get(f"/events/{fair.id}").get_data(as_text=True)
    assert 'data-figure="start_rate">0.00%' in staff and 'data-figure="production_rate">—' in staff
