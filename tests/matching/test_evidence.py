"""Precedent (crm.matching.precedent): similar projects count by similarity, recency and stage; a worker's
index updated after projects change (EvidenceIndex.changed) finds the same projects as one built afresh; as
of a date only the projects signed before it count, at the stage they had reached."""
import random
from datetime import date

import pytest

from crm.matching import precedent
from crm.matching.classify import classification
from crm.matching.precedent import Evidence, EvidenceIndex

TERMS = ["锂电池", "正极", "负极", "隔膜", "储能", "电芯", "光伏", "硅料", "铝箔", "铜箔"]
CODES = ["3841", "3825", "3252", "3985", ""]
TODAY = date(2025, 1, 1)


def closeness(a: str, b: str) -> float:
    return classification().closeness(a, b).similarity


def random_project(rng, project_id: int) -> Evidence:
    return Evidence(rng.choice(["P", "Q"]), f"项目{project_id}", rng.choice(["signed", "started"]),
                    rng.choice([1, 2, 3, None]), "", tuple(sorted(rng.sample(TERMS, rng.randint(0, 4)))), project_id,
                    rng.choice(CODES), date(rng.randint(2015, 2024), 6, 1))


def named(index: EvidenceIndex, park: str, terms, codes) -> list[tuple[str, float]]:
    found = precedent.hits(index.by_park.get(park), index, terms, codes, closeness, TODAY, company_id=1)
    return [(h.item.project_name, round(h.weight, 6)) for h in found]


@pytest.mark.parametrize("seed", range(20))
def test_an_updated_index_finds_what_a_fresh_one_finds(seed):
    rng = random.Random(seed)
    projects = {i: random_project(rng, i) for i in range(1, 60)}
    index = EvidenceIndex(sorted(projects.values(), key=lambda e: e.order))
    for _round in range(3):
        gone = rng.sample(sorted(projects), 5)
        for project_id in gone:
            del projects[project_id]
        added = [random_project(rng, rng.randint(100, 10_000)) for _ in range(4)]
        projects.update((e.project_id, e) for e in added)
        changed_ids = [*gone, *(e.project_id for e in added)]
        index = index.changed(changed_ids, added)
    fresh = EvidenceIndex(sorted(projects.values(), key=lambda e: e.order))
    for _ in range(10):
        terms, codes = rng.sample(TERMS, 3), [rng.choice(CODES)]
        for park in ("P", "Q"):
            assert named(index, park, terms, codes) == named(fresh, park, terms, codes)


def test_similar_recent_landed_projects_weigh_most_and_add_up():
    alike = Evidence("P", "单晶硅棒项目", "started", 2, terms=("光伏", "单晶", "硅棒"), project_id=1, gbt_code="3825",
                     signed_on=date(2024, 1, 1), started_on=date(2024, 5, 1))
    old = Evidence("P", "老单晶项目", "started", 3, terms=("光伏", "单晶", "硅棒"), project_id=2, gbt_code="3825",
                   signed_on=date(2012, 1, 1), started_on=date(2012, 5, 1))
    signed = Evidence("P", "签约单晶项目", "signed", 4, terms=("光伏", "单晶", "硅棒"), project_id=3, gbt_code="3825",
                      signed_on=date(2024, 5, 1))
    other = Evidence("P", "铝箔项目", "started", 5, terms=("铝箔",), project_id=4, gbt_code="3252",
                     signed_on=date(2024, 1, 1), started_on=date(2024, 5, 1))
    index = EvidenceIndex([alike, old, signed, other])
    found = precedent.hits(index.by_park["P"], index, ["光伏", "单晶", "硅棒"], ["3825"], closeness, TODAY)
    assert [h.item.project_name for h in found] == ["单晶硅棒项目", "签约单晶项目", "老单晶项目"]
    assert found[0].reason == "同类项目已在该园区落地：单晶硅棒项目（2024年开工）"
    assert found[1].reason == "同类项目已在该园区签约：签约单晶项目（2024年签约）"
    shares = precedent.points(found)
    assert shares[0] > shares[1] > shares[2] > 0 and sum(shares) <= precedent.MAX_POINTS
    # the company's own project at the park counts whatever it makes, and says so
    own = precedent.hits(index.by_park["P"], index, ["碳纤维"], [], closeness, TODAY, company_id=5)
    assert [h.reason for h in own] == ["本企业已在该园区落地：铝箔项目（2024年开工）"]


def test_as_of_a_date_only_projects_signed_before_it_at_the_stage_they_had():
    project = Evidence("P", "单晶硅棒项目", "producing", 2, terms=("光伏",), project_id=1, signed_on=date(2021, 1, 1),
                       started_on=date(2022, 1, 1), producing_on=date(2023, 1, 1))
    index = EvidenceIndex([project])
    assert index.as_of(date(2021, 1, 1)).count == 0
    assert index.as_of(date(2021, 6, 1)).by_park["P"].items[0].stage == "signed"
    assert index.as_of(date(2022, 6, 1)).by_park["P"].items[0].stage == "started"
    assert index.as_of(date(2024, 1, 1)).by_park["P"].items[0].stage == "producing"
