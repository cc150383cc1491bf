"""The companies' side of gap matching, read from company_term_index and kept per worker process until
company data changes (token "companies"): for each term a link asks for, the ids of the companies using
it; how many companies have terms; each company's industry; the merged companies."""
import json
from array import array
from collections.abc import Iterable

from sqlalchemy import String, cast, func, literal, select

from crm.companies.models import Company
from crm.extensions import db
from crm.matching import versions
from crm.matching.cache import cached, per_version, token
from crm.matching.models import CompanyTerm, CompanyTerms


def _id_list(joined: str | None) -> array:
    return array("q", json.loads(f"[{joined}]")) if joined else array("q")  # json: parses the ints in C


def _joined_ids(column):
    """Many ids as one comma-separated string: far cheaper to read than a row per id."""
    return func.aggregate_strings(cast(column, String), ",")


def company_count() -> int:
    """How many companies have terms (the IDF's N)."""
    return cached("company_count", token(versions.COMPANIES),
                  lambda: db.session.scalar(select(func.count(CompanyTerms.company_id))) or 0)


def postings(terms: Iterable[str]) -> dict[str, array]:
    """{term: ids of the companies using it}, merged ones included (as in the document frequency).
    Read once per data version for the terms asked so far: at most the links' terms, a few thousand."""
    known = per_version("postings", versions.COMPANIES)
    terms = list(terms)
    missing = [t for t in terms if t not in known]
    if missing:
        for term, joined in db.session.execute(select(CompanyTerm.term, _joined_ids(CompanyTerm.company_id))
                                               .where(CompanyTerm.term.in_(missing)).group_by(CompanyTerm.term)):
            known[term] = _id_list(joined)
        for term in missing:
            known.setdefault(term, array("q"))
    return {t: known[t] for t in terms}


def merged_companies() -> frozenset[int]:
    return cached("merged", token(versions.COMPANIES), lambda: frozenset(db.session.scalars(
        select(Company.id).where(Company.merged_into_id.is_not(None)))))


def company_industries() -> array:
    """Each company's industry id, by company id (0: none): the industry bonus of gap matching for tens of
    thousands of candidates, in one array of a few hundred KB shared by every park."""
    def load() -> array:
        pair = literal("[") + cast(Company.id, String) + "," + cast(func.coalesce(Company.industry_id, 0), String) + "]"
        joined = db.session.scalar(select(func.aggregate_strings(pair, ",")))
        pairs = json.loads(f"[{joined}]") if joined else []
        industries = array("q", bytes(8 * (max((company_id for company_id, _ in pairs), default=0) + 1)))
        for company_id, industry_id in pairs:
            industries[company_id] = industry_id
        return industries

    return cached("company_industries", token(versions.COMPANIES), load)
