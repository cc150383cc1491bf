"""Top-1 and top-3 accuracy of company → base matching on an evaluation set written for this project."""
from pathlib import Path

import yaml

from crm.matching import queries
from crm.matching.scoring import CompanyProfile

EVAL_SET = Path(__file__).with_name("eval_set.yaml")


def test_evaluation_set_reaches_80_percent_top3(seeded):
    cases = yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))["companies"]
    assert len(cases) >= 60 and len({c["base"] for c in cases}) == 15
    top1 = top3 = 0
    misses = []
    for case in cases:
        profile = CompanyProfile(name=case["name"], industry=case.get("industry", ""),
                                 main_business=case["main_business"])
        codes = [m.park.code for m in queries.parks_for_profile(profile, 3, user=None).matches]
        top1 += codes[:1] == [case["base"]]
        top3 += case["base"] in codes
        if case["base"] not in codes:
            misses.append(f"{case['base']}: {case['main_business']} → {codes}")
    n = len(cases)
    print(f"\nmatching evaluation: {n} companies, top-1 {top1 / n:.1%}, top-3 {top3 / n:.1%}")
    print("\n".join(misses))
    assert top3 / n >= 0.80
