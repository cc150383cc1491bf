"""The evidence parts (signed projects of similar companies at a park), computed on bit masks, name the
same projects in the same order as the plain definition: most shared terms first (two at least), then
projects of the company's industry sharing one term, then none; ties in project order; never the
company's own projects."""
import random

import pytest

from crm.matching.scoring import EVIDENCE_MAX, CompanyProfile, Evidence, EvidenceIndex, ParkProfile, _evidence_parts

TERMS = ["锂电池", "正极", "负极", "隔膜", "储能", "电芯", "光伏", "硅料", "铝箔", "铜箔"]
INDUSTRIES = ["新能源产业", "新材料产业", ""]


def plain_definition(items: list[Evidence], company: CompanyProfile, terms: set[str]) -> list[str]:
    overlap = {p: len(item.terms & terms) for p, item in enumerate(items)}
    wanted = [p for p, n in overlap.items() if n >= 2 or (company.industry and items[p].industry == company.industry)]
    wanted = [p for p in wanted if company.id is None or items[p].company_id != company.id]
    wanted.sort(key=lambda p: (-overlap[p], p))
    return [items[p].project_name for p in wanted[:EVIDENCE_MAX]]


@pytest.mark.parametrize("seed", range(40))
def test_bit_masks_agree_with_the_plain_definition(seed):
    rng = random.Random(seed)
    items = [Evidence("P", f"项目{n}", "signed", rng.choice([1, 2, 3, 4, None]), rng.choice(INDUSTRIES),
                      frozenset(rng.sample(TERMS, rng.randint(0, 5)))) for n in range(rng.randint(0, 60))]
    company = CompanyProfile(name="某公司", industry=rng.choice(INDUSTRIES), id=rng.choice([1, 2, None]))
    terms = set(rng.sample(TERMS, rng.randint(0, 6)))
    found = _evidence_parts(ParkProfile(1, "P", "某园区"), company, terms, EvidenceIndex(items).by_park.get("P"))
    assert [part.reason.split("：", 1)[1] for part in found] == plain_definition(items, company, terms)
