"""Reasons and warnings pinned on clear cases, on the seeded parks with no demo data."""
import pytest

from crm.matching import queries
from crm.matching.scoring import CompanyProfile


def _rank(main_business: str, name: str = "", industry: str = "", top: int = 5):
    profile = CompanyProfile(name=name, industry=industry, main_business=main_business)
    return queries.parks_for_profile(profile, top, user=None)


def test_lithium_cathode_maker_goes_to_nanchuan_with_the_link_named(seeded):
    ranking = _rank("锂电池正极材料（磷酸铁锂、三元材料）的研发与生产", name="某新能源材料有限公司")
    best = ranking.matches[0]
    assert best.park.code == "NANCHUAN"
    assert best.park.parent_code == "XNKF"
    assert any("西宁南川工业园区 产业链「锂电池」环节「正极、负极、隔膜材料」相符" in r for r in best.reasons)
    assert abs(best.score - sum(p.points for p in best.parts)) < 0.05
    assert best.warnings == []


def test_pvc_profile_maker_goes_to_a_pvc_base(seeded):
    ranking = _rank("PVC塑钢门窗型材、PVC管材的挤出生产")
    codes = [m.park.code for m in ranking.matches[:3]]
    assert {"CHAERHAN", "DELINGHA"} & set(codes)
    pvc = next(m for m in ranking.matches if m.park.code in ("CHAERHAN", "DELINGHA"))
    assert any("PVC" in r and "PVC精深加工" in r for r in pvc.reasons)


def test_highland_barley_liquor_maker_goes_to_huzhu(seeded):
    ranking = _rank("以高原青稞为原料酿造清香型白酒", name="某青稞酒业股份有限公司")
    best = ranking.matches[0]
    assert best.park.code == "HUZHU"
    assert any("海东互助工业园区" in r and "青稞" in r for r in best.reasons)


@pytest.mark.parametrize("text,word", [("单一硅铁、锰硅等铁合金冶炼", "铁合金"),
                                       ("电石（碳化钙）冶炼，单一电石项目", "电石")])
def test_stand_alone_ferroalloy_or_carbide_smelter_is_warned(seeded, text, word):
    ranking = _rank(text)
    warnings = [w for m in ranking.matches for w in m.warnings] + ranking.warnings
    assert any(w.startswith(f"限制类高耗能产能（{word}") for w in warnings), warnings


def test_central_soe_tier_is_a_named_part(seeded):
    profile = CompanyProfile(name="某央企", main_business="电解铝及铝板带箔加工", tiers=("世界500强",),
                             ownership="央企")
    best = queries.parks_for_profile(profile, user=None).matches[0]
    assert "世界500强" in best.reasons and "央企" in best.reasons


def test_a_poor_fit_is_answered_as_weak_with_its_weakness_stated(seeded):
    matches = _rank("互联网广告投放代理").matches
    assert matches and all(m.weak for m in matches)
    assert all(r.startswith("只有") for m in matches for r in m.reasons)


def test_nothing_fits_gives_no_parks_and_says_why(seeded):
    ranking = _rank("ABC XYZ")
    assert ranking.matches == [] and queries.NOTHING_FITS in ranking.warnings
