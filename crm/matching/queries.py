"""Reads of the matching domain: parks for a company, companies for a link, and each link's state."""
import heapq
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.companies.models import Company, CompanyTier
from crm.core.scope import scope_to_parks
from crm.extensions import db
from crm.matching import index
from crm.matching.models import CompanyTerm, CompanyTerms
from crm.matching.scoring import (
    INDUSTRY_POINTS,
    Candidate,
    CompanyMatch,
    CompanyProfile,
    LinkProfile,
    ParkMatch,
    ParkProfile,
    company_idf,
    general_warnings,
    link_query,
    rank_parks,
    score_for_link,
)
from crm.parks.models import Industry
from crm.projects.models import Project

SIGNED = {"signed", "preparing", "started", "producing"}
OPEN = {"lead", "negotiating"}
# Candidates scored without tiers first; this many of the best are then re-scored with their tiers.
SHORTLIST_FACTOR = 3


@dataclass
class ParkRanking:
    matches: list[ParkMatch]
    warnings: list[str]


def parks_for_profile(profile: CompanyProfile, top: int = 5) -> ParkRanking:
    idx = index.park_index()
    matches = rank_parks(profile, idx, evidence=index.evidence(), rules=index.policy_rules(), top=top)
    warnings = [] if matches else general_warnings(profile, idx.analyzer, index.policy_rules(), "QH")
    return ParkRanking(matches, warnings)


def parks_for_company(company: Company, top: int = 5) -> ParkRanking:
    return parks_for_profile(index.company_profile(company), top)


def find_link(link_id: int) -> tuple[ParkProfile, LinkProfile] | None:
    for doc in index.park_index().docs:
        if link_id in doc.links:
            return doc.park, doc.links[link_id]
    return None


def park_profile(code: str) -> ParkProfile | None:
    return index.park_index().by_code.get(code)


def _candidates(query: dict[str, float]) -> tuple[dict[int, list[str]], dict[int, int | None], dict[str, int]]:
    """The companies sharing a term with the query (merged ones left out), read by term from the
    inverted index: {company id: matched terms}, {company id: industry id}, and each term's document count."""
    terms = list(query)
    frequency = dict(db.session.execute(select(CompanyTerm.term, func.count()).where(CompanyTerm.term.in_(terms))
                                        .group_by(CompanyTerm.term)).all())
    matched: dict[int, list[str]] = defaultdict(list)
    industries: dict[int, int | None] = {}
    rows = db.session.execute(select(CompanyTerm.company_id, CompanyTerm.term, Company.industry_id)
                              .join(Company, Company.id == CompanyTerm.company_id)
                              .where(CompanyTerm.term.in_(terms), Company.merged_into_id.is_(None)))
    for company_id, term, industry_id in rows:
        matched[company_id].append(term)
        industries[company_id] = industry_id
    return matched, industries, frequency


def _shortlist(query, idf, matched, industries, park_industries: set[str], size: int) -> list[int]:
    """Scored without tiers and without building reasons: enough to pick the shortlist."""
    names = dict(db.session.execute(select(Industry.id, Industry.name)).all())

    def quick(company_id: int) -> float:
        points = sum(query[t] * idf[t] for t in matched[company_id])
        industry = names.get(industries[company_id]) or ""
        return points + (INDUSTRY_POINTS if industry and industry in park_industries else 0.0)

    return heapq.nlargest(size, matched, key=lambda i: (quick(i), i))


def companies_for_link(link_id: int, top: int = 20) -> list[CompanyMatch]:
    """Companies of the database ranked for one link, each score explained."""
    found = find_link(link_id)
    if found is None:
        return []
    park, link = found
    index.refresh_stale()
    query = link_query(link, index.analyzer())
    if not query:
        return []
    matched, industries, frequency = _candidates(query)
    idf = company_idf(index.company_count() or 1, {t: frequency.get(t, 0) for t in query})
    shortlist = _shortlist(query, idf, matched, industries, set(park.industries), top * SHORTLIST_FACTOR)
    rows = db.session.execute(select(Company.id, Company.name, Industry.name, Company.ownership, CompanyTerms.terms)
                              .outerjoin(Industry, Industry.id == Company.industry_id)
                              .outerjoin(CompanyTerms, CompanyTerms.company_id == Company.id)
                              .where(Company.id.in_(shortlist))).all()
    tiers = defaultdict(list)
    for company_id, tier in db.session.execute(select(CompanyTier.company_id, CompanyTier.tier).where(
            CompanyTier.company_id.in_(shortlist))):
        tiers[company_id].append(tier)
    matches = [score_for_link(park, link, query, Candidate(
        i, name, industry or "", frozenset((terms or "").split()), tuple(tiers[i]), ownership or ""), idf)
        for i, name, industry, ownership, terms in rows]
    matches = [m for m in matches if m]
    matches.sort(key=lambda m: (-m.score, m.company.name))
    return matches[:top]


def _scoped(query, user):
    """user None is the CLI or a job, which see every park."""
    return query if user is None else scope_to_parks(query, Project.park_id, user)


def projects_at_park(park_id: int, company_ids: list[int], user) -> dict[int, list[Project]]:
    """Projects of these companies at the park (dropped ones included, as history), by company."""
    if not company_ids:
        return {}
    query = select(Project).where(Project.park_id == park_id, Project.company_id.in_(company_ids))
    result: dict[int, list[Project]] = defaultdict(list)
    for project in db.session.scalars(_scoped(query, user).order_by(Project.id)):
        result[project.company_id].append(project)
    return result


@dataclass
class LinkState:
    link: LinkProfile
    projects: list[Project] = field(default_factory=list)
    dropped: list[Project] = field(default_factory=list)

    @property
    def state(self) -> str:
        stages = {p.stage for p in self.projects}
        if stages & SIGNED:
            return "filled"
        return "partly" if stages else "gap"

    @property
    def company_count(self) -> int:
        return len({p.company_id for p in self.projects})


def link_states(park: ParkProfile, user) -> dict[int, LinkState]:
    """Each link of the park with the projects on it: set on the project, or guessed from the
    company's terms for projects that name no link."""
    states = {link.id: LinkState(link) for link in park.links}
    if not states:
        return states
    index.refresh_stale()
    an = index.analyzer()
    strong = {link.id: {t for t, w in link_query(link, an).items() if w >= 2.0} for link in park.links}
    query = (select(Project, CompanyTerms.terms).outerjoin(CompanyTerms, CompanyTerms.company_id == Project.company_id)
             .where(Project.park_id == park.id).options(selectinload(Project.company)))
    for project, terms in db.session.execute(_scoped(query, user)):
        targets = [project.link_id] if project.link_id in states else []
        if project.link_id is None and terms:
            words = set(terms.split())
            targets = [link_id for link_id, wanted in strong.items() if wanted & words]
        for link_id in targets:
            bucket = states[link_id].dropped if project.stage == "dropped" else states[link_id].projects
            bucket.append(project)
    return states
