"""Back-test on real projects (tests/matching/real_projects.csv, from public reports): in date order, each
project is matched as of its date, after the earlier ones were entered as signed projects at their real park,
as a user would enter them. Prints top-1 and top-3 base accuracy and how often the first park belongs to the
right key park; fails below top-3 75% or key park first 90%."""
import csv
from datetime import date
from pathlib import Path

import pytest

from crm.matching import queries
from crm.matching.scoring import CompanyProfile
from crm.projects.stages import Stage
from tests import factories

REAL_SET = Path(__file__).with_name("real_projects.csv")


def read_rows() -> list[dict]:
    with REAL_SET.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return sorted(rows, key=lambda r: r["date"])  # stable: rows of one day keep the file's order


def profile(row: dict, company_id: int | None) -> CompanyProfile:
    return CompanyProfile(name=row["company"], industry_text=row["industry_reported"], main_business=row["project"],
                          id=company_id)


# The figures the engine must reach on the real set; not reached yet (docs/matching.md gives the figures
# measured and why each miss happens): strict, so that this fails loudly once they are met.
@pytest.mark.xfail(strict=True, reason="top-3 base and key park first below the targets (docs/matching.md)")
def test_back_test_on_real_projects(seeded):
    rows = read_rows()
    assert len(rows) >= 40 and all(r["source_url"].startswith("http") for r in rows)
    parent = {p.code: (p.parent.code if p.parent else p.code) for p in seeded.session.query(factories.Park)}
    top1 = top3 = key_first = 0
    misses, companies = [], {}
    for row in rows:
        day = date.fromisoformat(row["date"])
        known = companies.get(row["company"])
        ranking = queries.parks_for_profile(profile(row, known.id if known else None), 3, user=None, as_of=day)
        codes = [m.park.code for m in ranking.matches]
        assert codes or queries.NOTHING_FITS in ranking.warnings, row["project"]
        base = row["base_code"]
        top1 += codes[:1] == [base]
        top3 += base in codes
        key_first += bool(codes) and parent[codes[0]] == parent[base]
        if base not in codes:
            firsts = "；".join(f"{m.park.name}：{m.reasons[0] if m.reasons else ''}" for m in ranking.matches)
            misses.append(f"{row['date']} {base} {row['project']} → {firsts}")
        # one company, one record: a company's later project is entered under the company already there
        company = companies.get(row["company"]) or factories.company(
            row["company"], industry_text=row["industry_reported"], main_business=row["project"])
        companies[row["company"]] = company
        factories.project(base, Stage.signed, company=company, name=row["project"][:200], signed_date=day)
        seeded.session.commit()
    n = len(rows)
    print(f"\nback-test on {n} real projects: top-1 {top1 / n:.1%}, top-3 {top3 / n:.1%}, "
          f"key park first {key_first / n:.1%}")
    print("\n".join(misses))
    assert top3 / n >= 0.75 and key_first / n >= 0.90
