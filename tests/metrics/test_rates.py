"""Every rate on hand-built projects whose answers were worked out by hand."""
from datetime import date
from decimal import Decimal

from sqlalchemy import insert

from crm.core import settings
from crm.metrics.cohort import Cohort
from crm.metrics.figures import compute, compute_rates
from crm.projects.models import FundsEntry, Project
from crm.projects.stages import Stage
from tests import factories as f


def _funds(project, amount, period=date(2025, 10, 1), **fields):
    row = FundsEntry(project_id=project.id, period=period, amount=Decimal(amount), **fields)
    f.db.session.add(row)
    f.db.session.flush()
    return row


def _rate(figures, key):
    r = figures["rates"][key]
    return r["numerator"], r["denominator"], r["value"]


def test_fair_2015_cohort_gives_the_published_rates(seeded):
    """2015 青洽会: 378 signed, 267 started, 99 preparing, 12 still signed; 405.29亿 of 1817亿 arrived."""
    fair = f.event(2015)
    company = f.company()
    park_id = f.park("NANCHUAN").id
    stages = [Stage.started] * 267 + [Stage.preparing] * 99 + [Stage.signed] * 12
    rows = [{"name": f"项目{i}", "company_id": company.id, "park_id": park_id, "event_id": fair.id,
             "stage": s, "counted_stage": s, "signed_date": date(2015, 7, 1),
             "agreed_investment": Decimal("48068.7831")} for i, s in enumerate(stages)]
    seeded.session.execute(insert(Project), rows)
    first = seeded.session.query(Project).order_by(Project.id).first()
    # Agreed: 378 × 48068.7831 ≈ 18,170,000 万元 (1817亿); funds 405.29亿 = 4,052,900 万元 on one project.
    _funds(first, "4052900")
    figures = compute(Cohort(event_id=fair.id))
    assert _rate(figures, "performance_rate") == (366, 378, Decimal("96.83"))
    assert _rate(figures, "start_rate") == (267, 378, Decimal("70.63"))
    assert _rate(figures, "production_rate") == (0, 267, Decimal("0.00"))
    assert figures["rates"]["funds_arrival_rate"]["value"] == Decimal("22.31")  # the report prints 22.3
    assert figures["counts"]["signed"] == 378


def test_hand_built_cohort_every_rate(seeded):
    """Worked by hand: 5 signed-cohort projects (one dropped after signing), 2 negotiating, 1 lead."""
    p_signed = f.project("NANCHUAN", Stage.signed, agreed_investment=Decimal("200000"))  # 20亿
    p_prep = f.project("NANCHUAN", Stage.preparing, agreed_investment=Decimal("50000"))
    p_start = f.project("GANHE", Stage.started, agreed_investment=Decimal("30000"),
                        fixed_asset_investment=Decimal("16000"), land_mu=Decimal("40"))
    p_prod = f.project("GANHE", Stage.producing, agreed_investment=Decimal("1200000"),
                       fixed_asset_investment=Decimal("48000"), land_mu=Decimal("60"))
    f.project("NANCHUAN", Stage.dropped, signed_date=date(2025, 5, 1), agreed_investment=Decimal("20000"))
    f.project("NANCHUAN", Stage.negotiating)
    f.project("NANCHUAN", Stage.negotiating)
    f.project("NANCHUAN", Stage.lead)
    f.project("NANCHUAN", Stage.dropped)  # dropped while negotiating: in 签约率's denominator only
    _funds(p_signed, "10000")
    _funds(p_prod, "150000")
    _funds(p_start, "5000", review_status="pending")  # not reviewed yet: does not count
    old = _funds(p_prep, "9999")
    new = _funds(p_prep, "4000")
    old.superseded_by_id = new.id
    seeded.session.flush()
    cohort = Cohort(signed_from=date(2025, 1, 1), signed_to=date(2025, 12, 31))
    figures = compute(cohort)
    # 签约率: 5 signed in 2025 (the dropped-after-signing one included) ÷ 8 that negotiated in 2025.
    assert _rate(figures, "signing_rate") == (5, 8, Decimal("62.50"))
    assert _rate(figures, "performance_rate") == (3, 5, Decimal("60.00"))
    assert _rate(figures, "start_rate") == (2, 5, Decimal("40.00"))
    assert _rate(figures, "production_rate") == (1, 2, Decimal("50.00"))
    # (10000 + 150000 + 4000) ÷ (200000 + 50000 + 30000 + 1200000 + 20000) = 164000 ÷ 1500000 = 10.93%
    assert _rate(figures, "funds_arrival_rate") == (Decimal("164000.0000"), Decimal("1500000.0000"),
                                                    Decimal("10.93"))
    assert figures["counts"]["big_5e"] == 3 and figures["counts"]["big_10e"] == 2
    assert figures["counts"]["big_100e"] == 1
    # (16000 + 48000) ÷ (40 + 60) = 640 万元/亩
    assert figures["totals"]["investment_intensity"] == Decimal("640.0")
    assert figures["stages"][Stage.negotiating] == 2 and figures["stages"][Stage.dropped] == 2
    # A park's figures: GANHE has p_start and p_prod only.
    park = compute(Cohort(park="GANHE"))
    assert _rate(park, "start_rate") == (2, 2, Decimal("100.00"))
    # The rates alone (the dashboard's year-before comparison) are the same rates.
    assert compute_rates(cohort) == figures["rates"] and compute_rates(Cohort(park="GANHE")) == park["rates"]


def test_pending_stage_and_other_year_do_not_count(seeded):
    pending = f.project("NANCHUAN", Stage.started)
    pending.counted_stage = Stage.signed  # the start is reported but not yet approved
    f.project("NANCHUAN", Stage.started, signed_date=date(2024, 3, 1))
    seeded.session.flush()
    figures = compute(Cohort(signed_from=date(2025, 1, 1), signed_to=date(2025, 12, 31)))
    assert _rate(figures, "start_rate") == (0, 1, Decimal("0.00"))
    assert _rate(figures, "performance_rate") == (0, 1, Decimal("0.00"))


def test_zero_denominators_give_none(seeded):
    figures = compute(Cohort(park="GANHE"))
    for key in ("signing_rate", "performance_rate", "start_rate", "production_rate", "funds_arrival_rate"):
        assert figures["rates"][key]["value"] is None, key
    assert figures["totals"]["investment_intensity"] is None


def test_counted_sources_setting_excludes_other_money(seeded):
    p = f.project("NANCHUAN", Stage.started, agreed_investment=Decimal("1000"))
    _funds(p, "100", source="省外境内")
    _funds(p, "300", source="省内")
    assert compute(Cohort())["rates"]["funds_arrival_rate"]["value"] == Decimal("40.00")
    settings.put("funds.counted_sources", ["省外境内", "境外"])
    assert compute(Cohort())["rates"]["funds_arrival_rate"]["value"] == Decimal("10.00")


def test_late_counts_on_each_cohorts_own_day(seeded):
    """Statements are kept per cohort, day included: the same filters on a later day see a project late."""
    f.project("NANCHUAN", Stage.signed, planned_start_date=date(2025, 9, 1))
    seeded.session.flush()
    year = {"signed_from": date(2025, 1, 1), "signed_to": date(2025, 12, 31)}
    late = [compute(Cohort(**year, today=day))["counts"]["late"]
            for day in (date(2025, 8, 1), date(2025, 10, 1), date(2025, 8, 1))]
    assert late == [0, 1, 0]
