"""What the engine needs from the database, kept per worker process under the version tokens of
crm.matching.versions (one small read per transaction says whether a copy is still valid):

- park data (token "parks"): the parks' BM25 index with the tokenizer's domain words, each link's weighted
  query terms, and the industries' names;
- evidence ("parks", "companies", "projects"): signed projects with their company's industry and terms;
- the companies' term postings: crm.matching.postings.

Company terms are kept in company_terms and, one row per (term, company), in the inverted index
company_term_index; refreshed by `refresh_company_terms` and recomputed lazily for companies edited since.
"""
import sys
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Select, delete, func, insert, or_, select, text
from sqlalchemy.orm import selectinload

from crm.companies.models import Company, CompanyTier
from crm.core.db import utcnow
from crm.core.seedfiles import load_yaml
from crm.extensions import db
from crm.matching import cache, postings, versions
from crm.matching.classify import classification, suggester
from crm.matching.models import CompanyTerm, CompanyTerms
from crm.matching.precedent import Evidence, EvidenceIndex
from crm.matching.rules import PolicyRules, rules_from_data
from crm.matching.scoring import (
    SUGGESTED_CODE_MINIMUM,
    CompanyProfile,
    LinkProfile,
    ParkIndex,
    ParkProfile,
    link_query,
)
from crm.matching.text import Analyzer
from crm.parks import pictures
from crm.parks.models import Chain, Industry, Park, Region
from crm.projects.models import Project
from crm.projects.stages import Stage

SIGNED_STAGES = ("signed", "preparing", "started", "producing")


def invalidate() -> None:
    """Forget everything this process keeps for matching (the next request rebuilds it)."""
    cache.clear()


@dataclass(frozen=True)
class ParkData:
    index: ParkIndex
    links: dict[int, tuple[ParkProfile, LinkProfile]]
    link_queries: dict[int, dict[str, float]]  # link id → weighted terms (scoring.link_query)
    industry_names: dict[int, str]  # industry id → name


def park_profile(park: Park, regions: dict[int, str]) -> ParkProfile:
    links = tuple(LinkProfile(link.id, chain.name, link.name, tuple(link.keywords or []), link.gbt_code or "")
                  for chain in park.chains for link in chain.links)
    return ParkProfile(
        id=park.id, code=park.code, name=park.name, level=park.level,
        parent_code=park.parent.code if park.parent else "", parent_name=park.parent.name if park.parent else "",
        positioning=park.positioning or "", industries=tuple(park.industries or []), links=links,
        eco_restricted=bool(park.eco_restricted), region=regions.get(park.region_id, ""),
        children=tuple(child.name for child in park.children), anchors=tuple(park.anchors or []),
        places=tuple(park.places or []),
    )


def build_park_index(profiles: list[ParkProfile], industry_names) -> ParkIndex:
    words = [w for p in profiles for link in p.links for w in (link.name, link.chain, *link.keywords)]
    words += [i for p in profiles for i in p.industries]
    words += industry_names
    return ParkIndex(profiles, Analyzer(load_yaml("synonyms.yaml")["groups"], words),
                     classification=classification(), suggester=suggester())


def _build_park_data() -> ParkData:
    parks = db.session.scalars(select(Park).options(
        selectinload(Park.parent), selectinload(Park.children),
        selectinload(Park.chains).selectinload(Chain.links)).order_by(Park.id)).all()
    regions = dict(db.session.execute(select(Region.id, Region.code)).all())
    industry_names = dict(db.session.execute(select(Industry.id, Industry.name)).all())
    profiles = [park_profile(p, regions) for p in parks]
    index = build_park_index(profiles, list(industry_names.values()))
    links = {link.id: (park, link) for park in profiles for link in park.links}
    queries = {link_id: link_query(link, index.analyzer) for link_id, (_park, link) in links.items()}
    return ParkData(index, links, queries, industry_names)


def park_data() -> ParkData:
    """Rebuilt only when parks, chains, links, industries or regions changed (in any process)."""
    return cache.cached("parks", cache.token(versions.PARKS), _build_park_data)


def park_index(as_of: date | None = None) -> ParkIndex:
    """The parks' index; as of a day: built from each park's picture then in force (kept per set of pictures)."""
    data = park_data()
    if as_of is None:
        return data.index
    chosen = pictures.in_force(as_of)
    key = tuple(sorted((park_id, picture.id) for park_id, picture in chosen.items()))
    built = cache.per_version("pictured_indexes", versions.PARKS)
    if key not in built:
        profiles = [_pictured(park, chosen.get(park.id)) for park in (doc.park for doc in data.index.docs)]
        built[key] = build_park_index(profiles, list(data.industry_names.values()))
    return built[key]


def _pictured(park: ParkProfile, picture) -> ParkProfile:
    """The park's profile with the content of a picture (its links numbered apart from the real ones)."""
    if picture is None:
        return park
    links, number = [], 0
    for chain in picture.chains or []:
        for link in chain.get("links") or []:
            number += 1
            links.append(LinkProfile(-(park.id * 10_000 + number), chain["name"], link["name"],
                                     tuple(link.get("keywords") or []), link.get("gbt_code") or ""))
    return replace(park, positioning=picture.positioning or "", industries=tuple(picture.industries or []),
                   anchors=tuple(picture.anchors or []), links=tuple(links))


def analyzer() -> Analyzer:
    return park_index().analyzer


def link_terms(link: LinkProfile) -> dict[str, float]:
    """The link's weighted query terms, worked out once per version of the park data."""
    data = park_data()
    known = data.links.get(link.id)
    if known is not None and known[1] == link:
        return data.link_queries[link.id]
    return link_query(link, data.index.analyzer)  # a profile from another version of the data


def leading_industry_ids(park: ParkProfile) -> list[int]:
    """The ids of the industries named as the park's leading ones (a name may exist in two provinces)."""
    wanted = set(park.industries)
    return [i for i, name in park_data().industry_names.items() if name in wanted]


def warm_up() -> None:
    """Load the tokenizer's dictionary with the domain words, build the park data and the evidence now
    (needs an application context): for a worker that has just started, so that its first user does not
    wait a second or two for jieba; with the companies' side of every link (about a second at 100,000
    companies; a few MB), which the first gap match of each link would otherwise read."""
    data = park_data()
    evidence()
    postings.postings(sorted({term for query in data.link_queries.values() for term in query}))
    postings.company_count()
    postings.merged_companies()
    postings.company_industries()
    db.session.rollback()


@lru_cache(maxsize=1)
def policy_rules() -> PolicyRules:
    return rules_from_data(load_yaml("policy_rules.yaml"))  # a file of the release: parsed once per process


def company_profile(company: Company) -> CompanyProfile:
    # The industry's name from the cached park data rather than a query per company.
    industry = park_data().industry_names.get(company.industry_id, "") if company.industry_id else ""
    return CompanyProfile(name=company.name, industry=industry, main_business=company.main_business or "",
                          tiers=tuple(t.tier for t in company.tiers), ownership=company.ownership or "",
                          id=company.id, industry_text=company.industry_text or "", gbt_code=company.gbt_code or "")


def company_profile_by_id(company_id: int, visible) -> CompanyProfile | None:
    """As company_profile, read as a few columns with the tiers in the same query (a row per tier).
    visible: a condition the company must meet as well (the reader's scope), else None is returned."""
    rows = db.session.execute(
        select(Company.name, Company.industry_id, Company.main_business, Company.ownership, CompanyTier.tier,
               Company.industry_text, Company.gbt_code)
        .outerjoin(CompanyTier, CompanyTier.company_id == Company.id).where(Company.id == company_id, visible)
        .order_by(CompanyTier.year.desc())).all()  # the order of Company.tiers
    if not rows:
        return None
    first = rows[0]
    industry = park_data().industry_names.get(first.industry_id, "") if first.industry_id else ""
    return CompanyProfile(name=first.name, industry=industry, main_business=first.main_business or "",
                          tiers=tuple(r.tier for r in rows if r.tier is not None), ownership=first.ownership or "",
                          id=company_id, industry_text=first.industry_text or "", gbt_code=first.gbt_code or "")


def terms_text(profile: CompanyProfile, an: Analyzer) -> str:
    terms = sorted(set(an.terms(profile.text)))
    return " " + " ".join(terms) + " "


MAX_TERM = 64


def refresh_company_terms(company_ids=None, *, now=None, batch: int = 1000, rewrite_index: bool = False) -> int:
    """Recompute the terms of these companies (all when None), in company_terms and in the inverted
    index company_term_index; flushes, the caller commits. A company's index rows are rewritten only when
    its terms changed (always with rewrite_index): a company edited in another field (a phone number, a
    contact logged) keeps them, and so do the term postings the workers keep (crm.matching.postings)."""
    an, now = analyzer(), now or utcnow()
    industry_names = park_data().industry_names
    ids = list(company_ids) if company_ids is not None else db.session.scalars(select(Company.id)).all()
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        companies = db.session.execute(select(Company.id, Company.name, Company.industry_id, Company.main_business,
                                              Company.updated_at, Company.industry_text)
                                       .where(Company.id.in_(chunk))).all()
        rows = {r.company_id: r for r in db.session.scalars(
            select(CompanyTerms).where(CompanyTerms.company_id.in_(chunk)))}
        changed, entries = [], []
        for company in companies:
            profile = CompanyProfile(name=company.name, industry=industry_names.get(company.industry_id, ""),
                                     main_business=company.main_business or "",
                                     industry_text=company.industry_text or "")
            terms = terms_text(profile, an)
            row = rows.get(company.id)
            if row is None:
                row = CompanyTerms(company_id=company.id)
                db.session.add(row)
            if row.terms != terms or rewrite_index:
                row.terms = terms
                changed.append(company.id)
                entries += [{"term": t, "company_id": company.id} for t in terms.split() if len(t) <= MAX_TERM]
            row.updated_at = max(now, company.updated_at or now)
        db.session.flush()
        if changed:
            db.session.execute(delete(CompanyTerm).where(CompanyTerm.company_id.in_(changed)))
        if entries:
            db.session.execute(insert(CompanyTerm), entries)
    return len(ids)


def _stale_companies(limit: int, now) -> list[int]:
    since = db.session.scalar(select(func.max(CompanyTerms.updated_at)).where(CompanyTerms.updated_at <= now))
    return db.session.scalars(stale_query(since, limit)).all()


def stale_query(since, limit: int) -> Select:
    """Companies without terms or edited after them, among those edited after `since` (None: all)."""
    edited = select(Company.id, Company.updated_at)
    if since is not None:
        # The companies edited since, oldest first along the updated_at index: those edited up to now come before
        # any dated in the future (whose terms are stamped with that date and are read on every request). The
        # order and limit keep a plan made without the value of `since` (a prepared statement's) on the index:
        # without them PostgreSQL's generic plan merged all companies with all terms, 60 ms per match request.
        edited = edited.where(Company.updated_at > since).order_by(Company.updated_at).limit(limit)
    edited = edited.subquery()
    query = select(edited.c.id).outerjoin(CompanyTerms, CompanyTerms.company_id == edited.c.id)
    return query.where(or_(CompanyTerms.company_id.is_(None), edited.c.updated_at > CompanyTerms.updated_at)
                       ).limit(limit)


def refresh_stale(limit: int = 500, *, now=None) -> int:
    """Companies without terms, or edited after their terms were computed, get fresh terms. Runs per
    request, so it reads only companies changed since the last refresh (a range on an index), then
    compares each with its own terms' time; rows dated in the future (clock skew, imported data) are
    stamped with their company's time when refreshed, so they are not recomputed every time."""
    now = now or utcnow()
    stale = _stale_companies(limit, now)
    if stale and db.session.get_bind().dialect.name == "postgresql" and not db.session.scalar(
            text("SELECT pg_try_advisory_xact_lock(hashtext('crm.matching.refresh_stale'))")):
        # Another request is refreshing (PostgreSQL lets both read the same stale companies): writing the
        # same term rows as well would wait for its commit and then collide with its rows. This request
        # matches on the terms as they are; the other one's are about to be committed.
        return 0
    return refresh_company_terms(stale, now=now) if stale else 0


REBUILD_BEYOND = 2_000  # projects changed since the last full build: past this, building anew is quicker
# How far before a copy was built its update re-reads projects: what another worker stamped shortly before
# committing (or with a clock a little behind) is read again; re-reading a project that did not change is free.
RECENT = timedelta(minutes=10)


@dataclass(frozen=True)
class _Evidence:
    index: EvidenceIndex
    signatures: dict[int, int]  # project id -> hash of what the index holds of it (_signature)
    read_at: datetime  # projects updated from RECENT before this on are read again by the next update
    updated: int = 0  # projects changed since the full build (each one struck out and appended again)


def _signature(*values) -> int:
    return hash(values)


# What the evidence holds of a project: these columns (and its company's industry and terms).
_PROJECT_COLUMNS = (Park.code, Project.name, Project.stage, Project.company_id, Project.content, Project.gbt_code,
                    Project.signed_date, Project.started_date, Project.producing_date)


def _evidence_item(row, an: Analyzer, suggest) -> Evidence:
    (park_code, name, stage, company_id, content, gbt_code, signed_on, started_on, producing_on,
     industry, industry_text, company_code, company_terms, project_id) = row
    # The project's own words, its company's industry as written and the company's terms. Interned: the same
    # few thousand terms recur across 10,000+ projects; one copy each per worker.
    words = " ".join([name, industry_text or "", content or ""])
    terms = {*an.terms(words), *(company_terms or "").split()}
    code = gbt_code or company_code or suggest(" ".join([industry_text or "", industry or "", name]))
    return Evidence(park_code=park_code, project_name=name, stage=stage, company_id=company_id,
                    industry=industry or "", terms=tuple(sorted(map(sys.intern, terms))), project_id=project_id,
                    gbt_code=code, signed_on=signed_on, started_on=started_on, producing_on=producing_on)


def _evidence_rows(*where) -> list[tuple[int, Evidence]]:
    """(signature of the project's columns, evidence) for the signed projects meeting `where`."""
    an, suggest = analyzer(), suggester()
    rows = db.session.execute(
        select(*_PROJECT_COLUMNS, Industry.name, Company.industry_text, Company.gbt_code, CompanyTerms.terms,
               Project.id)
        .join(Park, Park.id == Project.park_id)
        .join(Company, Company.id == Project.company_id)
        .outerjoin(Industry, Industry.id == Company.industry_id)
        .outerjoin(CompanyTerms, CompanyTerms.company_id == Project.company_id)
        .where(Project.stage.in_(SIGNED_STAGES), *where)
        # A park's equally similar projects are named in this order, on every database.
        .order_by(Project.stage, Project.id).execution_options(yield_per=1000))
    best = lambda text: suggest.best(text, SUGGESTED_CODE_MINIMUM)  # noqa: E731
    return [(_signature(*row[:len(_PROJECT_COLUMNS)]), _evidence_item(row, an, best)) for row in rows]


def _build_evidence() -> _Evidence:
    read_at = utcnow()
    rows = _evidence_rows()
    signatures = {item.project_id: signature for signature, item in rows}
    return _Evidence(EvidenceIndex(item for _signature, item in rows), signatures, read_at)


def _evidence_since(previous: _Evidence) -> _Evidence:
    """The evidence after projects changed, from the evidence before: a stage change (a dozen a day, a
    hundred in a busy hour) re-reads the projects updated lately, not the 10,000+ others with their terms.
    Built anew when the signed projects then counted differ from those held: a project deleted, or one that
    left or joined the signed stages in a transaction stamped more than RECENT before its commit."""
    read_at = utcnow()
    recent = db.session.execute(
        select(Project.id, *_PROJECT_COLUMNS)
        .join(Park, Park.id == Project.park_id)
        # every stage, so that the (stage, updated_at) index serves it
        .where(Project.stage.in_(list(Stage)), Project.updated_at >= previous.read_at - RECENT)).all()
    signatures = dict(previous.signatures)
    changed = []
    for project_id, *columns in recent:
        signature = _signature(*columns) if columns[2] in SIGNED_STAGES else None
        if signatures.get(project_id) != signature:
            changed.append(project_id)
            if signature is None:
                del signatures[project_id]
            else:
                signatures[project_id] = signature
    if not changed:
        return _Evidence(previous.index, signatures, read_at, previous.updated)
    signed = db.session.scalar(select(func.count()).select_from(Project).where(Project.stage.in_(SIGNED_STAGES)))
    updated = previous.updated + len(changed)
    if updated > REBUILD_BEYOND or signed != len(signatures):
        return _build_evidence()
    added = [item for _signature, item in _evidence_rows(Project.id.in_(changed))]
    return _Evidence(previous.index.changed(changed, added), signatures, read_at, updated)


def evidence() -> EvidenceIndex:
    """Signed or landed projects with their company's industry and terms, grouped by park. When only the
    projects changed since this worker's copy (same park and company data), the copy is brought up to date."""
    key = tuple(cache.token(kind) for kind in (versions.PARKS, versions.COMPANIES, versions.PROJECTS))
    previous = cache.kept("evidence")
    if previous is not None and None not in key and previous[0][:2] == key[:2]:
        return cache.cached("evidence", key, lambda: _evidence_since(previous[1])).index
    return cache.cached("evidence", key, _build_evidence).index
