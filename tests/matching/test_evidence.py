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


def _random_project(rng: random.Random, project_id: int) -> Evidence:
    terms = frozenset(rng.sample(TERMS, rng.randint(0, 5)))
    return Evidence(rng.choice(["P", "Q"]), f"项目{project_id}", rng.choice(["signed", "started"]),
                    rng.choice([1, 2, 3, 4, None]), rng.choice(INDUSTRIES), terms, project_id)


@pytest.mark.parametrize("seed", range(40))
def test_an_index_brought_up_to_date_names_what_a_new_one_names(seed):
    """A worker's evidence after projects change (EvidenceIndex.changed: some gone, some changed, some new)
    gives every company the projects, in the order, that an index built afresh from the same projects gives."""
    rng = random.Random(seed)
    projects = {n: _random_project(rng, n) for n in range(rng.randint(0, 60))}
    index = EvidenceIndex(sorted(projects.values(), key=lambda e: e.order))
    for _step in range(rng.randint(1, 3)):
        gone = rng.sample(sorted(projects), min(len(projects), rng.randint(0, 5)))
        changed = {n: _random_project(rng, n) for n in rng.sample(sorted(projects), min(len(projects), 3))}
        new = {n: _random_project(rng, n) for n in range(100 + 10 * _step, 100 + 10 * _step + rng.randint(0, 4))}
        for n in gone:
            projects.pop(n, None)
        changed = {n: item for n, item in changed.items() if n in projects}
        projects.update(changed)
        projects.update(new)
        index = index.changed([*gone, *changed], sorted([*changed.values(), *new.values()], key=lambda e: e.order))
    fresh = EvidenceIndex(sorted(projects.values(), key=lambda e: e.order))
    for _ask in range(10):
        company = CompanyProfile(name="某公司", industry=rng.choice(INDUSTRIES), id=rng.choice([1, 2, None]))
        terms = set(rng.sample(TERMS, rng.randint(0, 6)))
        for code in ("P", "Q"):
            park = ParkProfile(1, code, "某园区")
            assert (_evidence_parts(park, company, terms, index.by_park.get(code))
                    == _evidence_parts(park, company, terms, fresh.by_park.get(code)))
