"""Reads of the matching domain: parks for a company, companies for a link, and each link's state."""
import heapq
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.companies.models import Company, CompanyTier
from crm.core.scope import scope_to_parks
from crm.extensions import db
from crm.matching import index
from crm.matching.models import CompanyTerms
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


def _quick_score(query: dict[str, float], idf: dict[str, float], terms: frozenset[str], industry: str,
                 park_industries: set[str]) -> float:
    """The score without tiers and without building reasons: enough to pick the shortlist."""
    points = sum(query[t] * idf[t] for t in query.keys() & terms)
    return points + (INDUSTRY_POINTS if industry and industry in park_industries else 0.0)


def companies_for_link(link_id: int, top: int = 20) -> list[CompanyMatch]:
    """Companies of the database ranked for one link, each score explained."""
    found = find_link(link_id)
    if found is None:
        return []
    park, link = found
    index.refresh_stale()
    terms = index.term_index()
    query = link_query(link, index.analyzer())
    postings = {t: terms.postings.get(t, set()) for t in query}
    idf = company_idf(len(terms.terms) or 1, {t: len(ids) for t, ids in postings.items()})
    park_industries = set(park.industries)
    ids = set().union(*postings.values()) if postings else set()
    quick = ((_quick_score(query, idf, terms.terms[i], terms.info[i][0], park_industries), i)
             for i in ids if not terms.info[i][2])
    shortlist = [i for _score, i in heapq.nlargest(top * SHORTLIST_FACTOR, quick)]
    names = dict(db.session.execute(select(Company.id, Company.name).where(Company.id.in_(shortlist))).all())
    tiers = defaultdict(list)
    for company_id, tier in db.session.execute(select(CompanyTier.company_id, CompanyTier.tier).where(
            CompanyTier.company_id.in_(shortlist))):
        tiers[company_id].append(tier)
    matches = [score_for_link(park, link, query, Candidate(
        i, names.get(i, ""), terms.info[i][0], terms.terms[i], tuple(tiers[i]), terms.info[i][1]), idf)
        for i in shortlist]
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
