"""Reads of the matching domain: parks for a company, companies for a link, and each link's state."""
import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import select, true
from sqlalchemy.orm import selectinload

from crm.companies.models import Company, CompanyTier
from crm.companies.queries import visible_clause
from crm.core.db import utcnow
from crm.core.formatting import local_today
from crm.core.scope import may_see_park, scope_to_parks, visible_park_ids
from crm.extensions import db
from crm.matching import cache, index, postings, precedent, versions
from crm.matching.models import CompanyTerms
from crm.matching.scoring import (
    INDUSTRY_POINTS,
    Candidate,
    CompanyMatch,
    CompanyProfile,
    LinkProfile,
    ParkMatch,
    ParkProfile,
    Part,
    company_idf,
    general_warnings,
    rank_parks,
    score_for_link,
)
from crm.parks.models import Industry
from crm.projects.models import Project

SIGNED = {"signed", "preparing", "started", "producing"}
NOTHING_FITS = ("描述中没有一个词或字与任何园区的产业、产业链、行业分类或已落地项目相近，无法推荐园区；"
                "请写明主要产品或工艺。")
OPEN = {"lead", "negotiating"}
# Candidates scored without tiers first; this many of the best are then re-scored with their tiers.
SHORTLIST_FACTOR = 3


@dataclass
class ParkRanking:
    matches: list[ParkMatch]
    warnings: list[str]


def parks_for_profile(profile: CompanyProfile, top: int = 5, *, user, as_of: date | None = None) -> ParkRanking:
    """user: whose scope decides which parks' signed projects may be cited as evidence (None: the CLI).
    as_of: rank as on that day: the park pictures then in force and the projects signed before it."""
    idx = index.park_index(as_of)
    matches = rank_parks(profile, idx, evidence=index.evidence().as_of(as_of), rules=index.policy_rules(), top=top,
                         evidence_parks=None if user is None else visible_park_ids(user), today=as_of)
    warnings = [] if matches else general_warnings(profile, idx.analyzer, index.policy_rules(), "QH")
    if not matches:
        warnings.append(NOTHING_FITS)
    return ParkRanking(matches, warnings)


def parks_for_company(company: Company, top: int = 5, *, user) -> ParkRanking:
    return parks_for_profile(index.company_profile(company), top, user=user)


def _visible_companies(user):
    """The companies the user may see; user None is the CLI or a job, which see every company."""
    return true() if user is None else visible_clause(user)


def company_profile(company_id: int, *, user) -> CompanyProfile | None:
    """What matching needs of a company, read as a few columns; None when there is no such company or the
    user may not see it."""
    return index.company_profile_by_id(company_id, _visible_companies(user))


def find_link(link_id: int) -> tuple[ParkProfile, LinkProfile] | None:
    return index.park_data().links.get(link_id)


def park_profile(code: str) -> ParkProfile | None:
    return index.park_index().by_code.get(code)


def _shortlist(park: ParkProfile, query: dict[str, float], idf: dict[str, float], companies_by_term: dict,
               size: int) -> list[int]:
    """The companies sharing a term with the query (merged ones left out), scored without tiers and
    without building reasons — enough to pick the shortlist — from the term postings the worker keeps.
    Tens of thousands of candidates at scale: the loops stay simple and the ranking compares plain tuples."""
    scores: dict[int, float] = {}
    get = scores.get
    for term, company_ids in companies_by_term.items():
        weight = query[term] * idf[term]
        for company_id in company_ids:
            scores[company_id] = get(company_id, 0.0) + weight
    leading = set(index.leading_industry_ids(park))
    if leading:
        industry_of = postings.company_industries()
        for company_id in scores:
            if company_id < len(industry_of) and industry_of[company_id] in leading:
                scores[company_id] += INDUSTRY_POINTS
    for company_id in postings.merged_companies() & scores.keys():
        del scores[company_id]
    return [company_id for _score, company_id in heapq.nlargest(size, zip(scores.values(), scores.keys(), strict=True))]


class _LinkQuery(NamedTuple):
    terms: dict[str, float]  # the link's weighted terms
    companies_by_term: dict  # postings.postings(terms)
    idf: dict[str, float]


def _link_query(link: LinkProfile) -> _LinkQuery | None:
    terms = index.link_terms(link)
    if not terms:
        return None
    companies_by_term = postings.postings(terms)
    idf = company_idf(postings.company_count() or 1, {t: len(ids) for t, ids in companies_by_term.items()})
    return _LinkQuery(terms, companies_by_term, idf)


def _kept_shortlist(park: ParkProfile, link: LinkProfile, query: _LinkQuery, size: int) -> list[int]:
    """The link's shortlist, kept until the parks' or the companies' data changes (it depends on nothing else)."""
    shortlists = cache.per_version("shortlists", versions.PARKS, versions.COMPANIES)
    if (link.id, size) not in shortlists:
        shortlists[link.id, size] = _shortlist(park, query.terms, query.idf, query.companies_by_term, size)
    return shortlists[link.id, size]


def warm_up(top: int = 20) -> None:
    """Every link's shortlist, for a worker that has just started (after index.warm_up): a link's first gap
    match otherwise scores tens of thousands of candidates while its user waits (1–9 ms each at 100,000
    companies; a third of a second for the 96 links of the seeded parks)."""
    for park, link in index.park_data().links.values():
        query = _link_query(link)
        if query is not None:
            _kept_shortlist(park, link, query, top * SHORTLIST_FACTOR)


def companies_for_link(link_id: int, top: int = 20, *, user) -> list[CompanyMatch]:
    """Companies of the database ranked for one link, each score explained; of those the user may see (park
    staff: companies with a project in their parks; None: the CLI, every company)."""
    found = find_link(link_id)
    if found is None:
        return []
    park, link = found
    index.refresh_stale()
    query = _link_query(link)
    if query is None:
        return []
    shortlist = _kept_shortlist(park, link, query, top * SHORTLIST_FACTOR)
    rows = db.session.execute(select(Company.id, Company.name, Industry.name, Company.ownership, CompanyTerms.terms)
                              .outerjoin(Industry, Industry.id == Company.industry_id)
                              .outerjoin(CompanyTerms, CompanyTerms.company_id == Company.id)
                              .where(Company.id.in_(shortlist), _visible_companies(user))).all()
    tiers = defaultdict(list)
    for company_id, tier in db.session.execute(select(CompanyTier.company_id, CompanyTier.tier).where(
            CompanyTier.company_id.in_(shortlist))):
        tiers[company_id].append(tier)
    matches = [score_for_link(park, link, query.terms, Candidate(
        i, name, industry or "", frozenset((terms or "").split()), tuple(tiers[i]), ownership or ""), query.idf)
        for i, name, industry, ownership, terms in rows]
    matches = [with_precedent(m, park) for m in matches if m]
    matches.sort(key=lambda m: (-m.score, m.company.name))
    return matches[:top]


GAP_PRECEDENT_SHARE = 0.5  # precedent weighs half as much for a gap: the link's own words come first


def with_precedent(match: CompanyMatch, park: ParkProfile) -> CompanyMatch:
    """The match with a part for the projects like this company's that already landed at the park: companies
    like those that came rank higher (the same evidence as parks for a company)."""
    evidence = index.evidence()
    found = precedent.hits(evidence.by_park.get(park.code), evidence, match.company.terms, (),
                           lambda a, b: 0.0, local_today(utcnow()), match.company.id)
    if not found:
        return match
    points = round(sum(precedent.points(found)) * GAP_PRECEDENT_SHARE, 1)
    if points <= 0:
        return match
    reason = f"与该园区已有项目相近（{found[0].reason}）"
    return CompanyMatch(match.company, [*match.parts, Part(points, reason, "evidence")])


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
    company's terms for projects that name no link. Nothing for a park whose projects the user may not
    see: park staff looking at another park would otherwise see every link of it as a gap."""
    if user is not None and not may_see_park(user, park.id):  # None: the CLI or a job, which see every park
        return {}
    states = {link.id: LinkState(link) for link in park.links}
    if not states:
        return states
    index.refresh_stale()
    strong = {link.id: {t for t, w in index.link_terms(link).items() if w >= 2.0} for link in park.links}
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
