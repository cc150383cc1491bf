"""What the engine needs from the database, cached in-process and rebuilt when the data changes.

Park profiles and the BM25 index are rebuilt when a park, chain or link changes (a cheap version
query: parks' latest updated_at and row counts; the parks services touch the park on chain edits).
Company terms are kept in the company_terms table and, one row per (term, company), in the inverted
index company_term_index; refreshed by `refresh_company_terms` and recomputed lazily for companies edited since.
No per-process copy of the companies' terms: a link's candidates are read by term from the database.
"""
import sys
import threading

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import selectinload

from crm.companies.models import Company
from crm.core.db import utcnow
from crm.core.seedfiles import load_yaml
from crm.extensions import db
from crm.matching.models import CompanyTerm, CompanyTerms
from crm.matching.rules import PolicyRules, rules_from_data
from crm.matching.scoring import CompanyProfile, Evidence, LinkProfile, ParkIndex, ParkProfile
from crm.matching.text import Analyzer
from crm.parks.models import Chain, ChainLink, Industry, Park, Region
from crm.projects.models import Project

SIGNED_STAGES = ("signed", "preparing", "started", "producing")
_lock = threading.Lock()
_cache: dict[str, tuple] = {}


def _park_version() -> tuple:
    parks = db.session.execute(select(func.count(Park.id), func.max(Park.updated_at))).one()
    links = db.session.execute(select(func.count(ChainLink.id), func.max(ChainLink.id))).one()
    chains = db.session.execute(select(func.count(Chain.id), func.max(Chain.id))).one()
    return (*parks, *links, *chains)


def invalidate() -> None:
    _cache.clear()


def park_profile(park: Park, regions: dict[int, str]) -> ParkProfile:
    links = tuple(LinkProfile(link.id, chain.name, link.name, tuple(link.keywords or []))
                  for chain in park.chains for link in chain.links)
    return ParkProfile(
        id=park.id, code=park.code, name=park.name, level=park.level,
        parent_code=park.parent.code if park.parent else "", parent_name=park.parent.name if park.parent else "",
        positioning=park.positioning or "", industries=tuple(park.industries or []), links=links,
        eco_restricted=bool(park.eco_restricted), region=regions.get(park.region_id, ""),
    )


def _build_index() -> ParkIndex:
    parks = db.session.scalars(select(Park).options(
        selectinload(Park.parent), selectinload(Park.chains).selectinload(Chain.links)).order_by(Park.id)).all()
    regions = dict(db.session.execute(select(Region.id, Region.code)).all())
    profiles = [park_profile(p, regions) for p in parks]
    words = [w for p in profiles for link in p.links for w in (link.name, link.chain, *link.keywords)]
    words += [i for p in profiles for i in p.industries]
    words += db.session.scalars(select(Industry.name)).all()
    return ParkIndex(profiles, Analyzer(load_yaml("synonyms.yaml")["groups"], words))


def park_index() -> ParkIndex:
    """The BM25 index of every park, rebuilt only when parks, chains or links changed."""
    version = _park_version()
    cached = _cache.get("parks")
    if cached and cached[0] == version:
        return cached[1]
    with _lock:
        index = _build_index()
        _cache["parks"] = (version, index)
    return index


def analyzer() -> Analyzer:
    return park_index().analyzer


def policy_rules() -> PolicyRules:
    return rules_from_data(load_yaml("policy_rules.yaml"))


def company_profile(company: Company) -> CompanyProfile:
    industry = company.industry.name if company.industry else ""
    return CompanyProfile(name=company.name, industry=industry, main_business=company.main_business or "",
                          tiers=tuple(t.tier for t in company.tiers), ownership=company.ownership or "",
                          id=company.id)


def terms_text(profile: CompanyProfile, an: Analyzer) -> str:
    terms = sorted(set(an.terms(profile.text)))
    return " " + " ".join(terms) + " "


MAX_TERM = 64


def refresh_company_terms(company_ids=None, *, now=None, batch: int = 1000) -> int:
    """Recompute the terms of these companies (all when None), in company_terms and in the inverted
    index company_term_index; flushes, the caller commits."""
    an, now = analyzer(), now or utcnow()
    ids = list(company_ids) if company_ids is not None else db.session.scalars(select(Company.id)).all()
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        companies = db.session.scalars(select(Company).where(Company.id.in_(chunk)).options(
            selectinload(Company.industry), selectinload(Company.tiers))).all()
        rows = {r.company_id: r for r in db.session.scalars(
            select(CompanyTerms).where(CompanyTerms.company_id.in_(chunk)))}
        postings = []
        for company in companies:
            row = rows.get(company.id) or CompanyTerms(company_id=company.id)
            row.terms = terms_text(company_profile(company), an)
            row.updated_at = max(now, company.updated_at or now)
            db.session.add(row)
            postings += [{"term": t, "company_id": company.id} for t in row.terms.split() if len(t) <= MAX_TERM]
        db.session.flush()
        db.session.execute(delete(CompanyTerm).where(CompanyTerm.company_id.in_(chunk)))
        if postings:
            db.session.execute(insert(CompanyTerm), postings)
    return len(ids)


def refresh_stale(limit: int = 500, *, now=None) -> int:
    """Companies without terms, or edited after their terms were computed, get fresh terms. Runs per
    request, so it reads only companies changed since the last refresh (a range on an index), then
    compares each with its own terms' time; rows dated in the future (clock skew, imported data) are
    stamped with their company's time when refreshed, so they are not recomputed every time."""
    now = now or utcnow()
    since = db.session.scalar(select(func.max(CompanyTerms.updated_at)).where(CompanyTerms.updated_at <= now))
    query = select(Company.id).outerjoin(CompanyTerms, CompanyTerms.company_id == Company.id)
    if since is not None:
        query = query.where(Company.updated_at > since)
    stale = db.session.scalars(query.where(or_(CompanyTerms.company_id.is_(None),
                                               Company.updated_at > CompanyTerms.updated_at)).limit(limit)).all()
    return refresh_company_terms(stale, now=now) if stale else 0


def company_count() -> int:
    """How many companies have terms (the IDF's N), counted again only when terms were refreshed."""
    latest = db.session.scalar(select(func.max(CompanyTerms.updated_at)))
    cached = _cache.get("company_count")
    if cached and cached[0] == latest:
        return cached[1]
    count = db.session.scalar(select(func.count(CompanyTerms.company_id))) or 0
    _cache["company_count"] = (latest, count)
    return count


def _evidence_version() -> tuple:
    projects = db.session.execute(select(func.count(Project.id), func.max(Project.updated_at))).one()
    terms = db.session.execute(select(func.max(CompanyTerms.updated_at))).one()
    return (*projects, *terms)


def evidence() -> list[Evidence]:
    """Signed or landed projects with their company's industry and terms, cached per data version."""
    version = _evidence_version()
    cached = _cache.get("evidence")
    if cached and cached[0] == version:
        return cached[1]
    rows = db.session.execute(
        select(Park.code, Project.name, Project.stage, Project.company_id, Industry.name, CompanyTerms.terms)
        .join(Park, Park.id == Project.park_id)
        .join(Company, Company.id == Project.company_id)
        .outerjoin(Industry, Industry.id == Company.industry_id)
        .outerjoin(CompanyTerms, CompanyTerms.company_id == Project.company_id)
        .where(Project.stage.in_(SIGNED_STAGES))).all()
    # Interned: the same few thousand terms recur across 10,000+ projects; one copy each per worker.
    items = [Evidence(code, name, stage, company_id, industry or "", frozenset(map(sys.intern, (terms or "").split())))
             for code, name, stage, company_id, industry, terms in rows]
    _cache["evidence"] = (version, items)
    return items
