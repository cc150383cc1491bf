"""Load the central SOEs (央企) of seeds/central_soes.csv as companies with the tier 央企 2025, and their public
short names (seeds/central_soe_short_names.csv, source beside each row) as aliases, idempotently."""
import csv

from sqlalchemy import select

from crm.companies.models import Company, CompanyTier, Ownership
from crm.companies.names import normalise_name, pinyin_full, pinyin_initials, search_words
from crm.core.seedfiles import SEEDS, ChangeCounter
from crm.extensions import db

TIER, YEAR = "央企", 2025


def _rows() -> list[dict]:
    with (SEEDS / "central_soes.csv").open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if (row.get("name") or "").strip()]


def _short_names() -> dict[str, list[str]]:
    with (SEEDS / "central_soe_short_names.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {row["name"].strip(): [n.strip() for n in row["short_names"].split(";") if n.strip()]
                for row in csv.DictReader(handle)}


def seed_central_soes(counter: ChangeCounter) -> None:
    """Matched by normalised name, so a company entered by hand is completed, never doubled."""
    rows, short_names = _rows(), _short_names()
    norms = [normalise_name(r["name"]) for r in rows]
    existing = {c.name_norm: c for c in db.session.scalars(
        select(Company).where(Company.name_norm.in_(norms), Company.merged_into_id.is_(None)))}
    for row, norm in zip(rows, norms, strict=True):
        name = row["name"].strip()
        company = existing.get(norm)
        if company is None:
            company = existing[norm] = Company(name=name, name_norm=norm, pinyin_full=pinyin_full(name),
                                               pinyin_initials=pinyin_initials(name), source="央企名录")
            db.session.add(company)
            counter.created_one("central SOEs")
        aliases = list(company.aliases or [])
        aliases += [n for n in short_names.get(name, []) if n not in aliases]  # an officer's own aliases stay
        counter.assign(company, "central SOEs", ownership=Ownership.central_soe.value,
                       main_business=company.main_business or (row.get("main_industry_note") or "").strip(),
                       aliases=aliases, search_words=search_words(company.name, aliases))
        if not any(t.tier == TIER and t.year == YEAR for t in company.tiers):
            company.tiers.append(CompanyTier(tier=TIER, year=YEAR))
            counter.created_one("company tiers")
