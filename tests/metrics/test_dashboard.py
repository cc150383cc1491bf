"""The dashboard: every figure links to a drill-down list whose count equals it; park staff see their parks."""
import re
from datetime import date
from decimal import Decimal
from html import unescape

from crm.projects.models import FundsEntry, Problem
from crm.projects.stages import Stage
from tests import factories as f

THIS_YEAR = date.today().year


def _data(seeded):
    """Projects signed this year in two parks (GANHE with one started, one producing, one dropped)."""
    signed = date(THIS_YEAR, 1, 15)
    fair = f.event(THIS_YEAR)
    rows = [
        f.project("NANCHUAN", Stage.signed, signed_date=signed, event_id=fair.id, agreed_investment=Decimal("120000"),
                  planned_start_date=date(THIS_YEAR - 1, 12, 1)),
        f.project("NANCHUAN", Stage.preparing, signed_date=signed, event_id=fair.id),
        f.project("GANHE", Stage.started, signed_date=signed, fixed_asset_investment=Decimal("6400"),
                  land_mu=Decimal("10")),
        f.project("GANHE", Stage.producing, signed_date=signed, agreed_investment=Decimal("1000000")),
        f.project("GANHE", Stage.dropped, signed_date=signed, agreed_investment=Decimal("5000")),
        f.project("NANCHUAN", Stage.negotiating, negotiating_date=signed),
        f.project("NANCHUAN", Stage.started, signed_date=date(THIS_YEAR - 1, 3, 1)),
    ]
    seeded.session.add(FundsEntry(project_id=rows[2].id, period=date(THIS_YEAR, 1, 1), amount=Decimal("3000")))
    seeded.session.add(Problem(project_id=rows[0].id, description="用地指标未落实", raised_on=signed))
    seeded.session.commit()
    return rows


def _count_links(html: str) -> list[tuple[str, str, int]]:
    """(data-count key, drill-down href, shown number) of every counted figure on the page."""
    found = re.findall(r'<a href="([^"]+)"[^>]*data-count="([^"]+)">(\d+)</a>', html)
    return [(key, unescape(href), int(n)) for href, key, n in found]


def test_every_dashboard_count_equals_its_drilldown(seeded, login_as):
    _data(seeded)
    client = login_as("manager")
    html = client.get("/dashboard/").get_data(as_text=True)
    links = _count_links(html)
    keys = {k for k, _h, _n in links}
    assert {"signed", "performance_rate:numerator", "start_rate:denominator", "stage_signed", "late",
            "big_10e", "signing_rate:denominator"} <= keys
    assert any(k.startswith("park:") for k in keys) and any(k.startswith("event:") for k in keys)
    for key, href, shown in links:
        listed = client.get(href)
        assert listed.status_code == 200, (key, href)
        total = int(re.search(r"<span data-total>(\d+)</span>", listed.get_data(as_text=True)).group(1))
        assert total == shown, (key, href)


def test_dashboard_shows_rates_and_dash_for_empty(seeded, login_as):
    _data(seeded)
    client = login_as("manager")
    html = client.get("/dashboard/").get_data(as_text=True)
    # 5 signed this year: preparing, started, producing → 履约率 3/5 = 60.00%; 开工率 2/5 = 40.00%
    assert 'data-figure="performance_rate">60.00%' in html
    assert 'data-figure="start_rate">40.00%' in html
    empty = client.get("/dashboard/?from=2001-01-01&to=2001-12-31").get_data(as_text=True)
    assert 'data-figure="start_rate">—' in empty


def test_money_drilldown_sums_equal_the_figures(seeded, login_as):
    _data(seeded)
    client = login_as("manager")
    html = client.get(f"/dashboard/projects?metric=funds_arrival_rate&part=numerator&from={THIS_YEAR}-01-01"
                      f"&to={THIS_YEAR}-12-31").get_data(as_text=True)
    assert "累计到位资金合计 3,000.00" in html
    assert "协议投资额合计 1,145,000.00" in html  # 120000 + 10000 + 10000 + 1000000 + 5000


def test_park_staff_see_only_their_parks(seeded, login_as):
    _data(seeded)
    client = login_as("park_staff", parks=["GANHE"])
    html = client.get("/dashboard/").get_data(as_text=True)
    assert 'data-figure="start_rate">66.67%' in html  # GANHE: 2 of 3 signed started
    assert "用地指标未落实" not in html  # NANCHUAN's problem stays hidden
    listed = client.get(f"/dashboard/projects?metric=signed&park=NANCHUAN&from={THIS_YEAR}-01-01")
    assert "<span data-total>0</span>" in listed.get_data(as_text=True)


def test_open_problems_are_listed_due_first_with_their_projects(seeded, login_as):
    rows = _data(seeded)
    raised = date(THIS_YEAR, 2, 1)
    for description, due, status in [("环评批复待取得", date(THIS_YEAR, 9, 1), "in_hand"),
                                     ("供电线路未接入", date(THIS_YEAR, 3, 1), "open"),
                                     ("融资渠道待定", None, "open"),
                                     ("已解决的用水问题", date(THIS_YEAR, 1, 1), "solved")]:
        seeded.session.add(Problem(project_id=rows[2].id, description=description, raised_on=raised, due_date=due,
                                   status=status))
    seeded.session.commit()
    html = login_as("manager").get("/dashboard/").get_data(as_text=True)
    listed = re.findall(r'<a href="[^"]*/projects/(\d+)">[^<]*</a>：([^<]+?) <span', html)
    # due first (the seeded problem has no due date either: the older of the two undated comes first)
    assert [d for _id, d in listed] == ["供电线路未接入", "环评批复待取得", "用地指标未落实", "融资渠道待定"]
    assert [int(i) for i, _d in listed] == [rows[2].id, rows[2].id, rows[0].id, rows[2].id]


def test_bad_filters_answer_4xx(seeded, login_as):
    client = login_as("manager")
    assert client.get("/dashboard/?from=yesterday").status_code == 400
    assert client.get("/dashboard/?park=NOPE").status_code == 404
    assert client.get("/dashboard/projects?metric=nonsense").status_code == 404


def test_admin_sets_targets_and_sees_progress(seeded, login_as):
    _data(seeded)
    admin = login_as("admin")
    response = admin.post("/dashboard/targets", data={"unit": "province", "year": THIS_YEAR, "metric": "signed",
                                                      "value": "10", "note": ""})
    assert response.status_code == 302
    html = admin.get("/dashboard/").get_data(as_text=True)
    assert "签约项目数" in html and "10亿元以上项目数" in html  # seeded 004 targets and the new one
    assert login_as("officer").get("/dashboard/targets").status_code == 403


def test_drill_links_are_the_links_the_router_writes(app):
    """The dashboard writes its links without the router: each must be exactly what url_for gives, under a
    script root too, with filters that need escaping."""
    from datetime import date as day

    from flask import url_for

    from crm.metrics.cohort import Cohort
    from crm.metrics.dashboard import DrillLinks

    cohort = Cohort(park="XN&1 区", event_id=7, signed_from=day(2025, 1, 1), signed_to=day(2025, 12, 31))
    with app.test_request_context("/", base_url="http://intranet.example/crm/"):
        links = DrillLinks()
        for metric, part in (("signed", ""), ("start_rate", "numerator"), ("stage_lead", "")):
            expected = url_for("metrics.drilldown", metric=metric, **({"part": part} if part else {}),
                               **cohort.args())
            assert expected.startswith("/crm/dashboard/projects?")
            assert links(cohort, metric, part) == expected
        assert links.with_filters("performance_rate", "denominator", {"park": "a/b;c", "officer": 3}) == url_for(
            "metrics.drilldown", metric="performance_rate", part="denominator", park="a/b;c", officer=3)
