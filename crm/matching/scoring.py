"""Explained match scores: parks for a company, companies for a chain link. Pure: plain data in and out.

Each score is the sum of named parts and each part carries the Chinese sentence shown to the user:
BM25 over the park's profile (positioning, leading industries, chain and link names, link keywords —
keywords weigh most), the industry dictionary, projects similar companies already signed there,
and the company's tiers and ownership.
"""
import heapq
import math
from array import array
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain as chained
from itertools import islice

from crm.matching.rules import PolicyRules, eco_warnings, rule_warnings
from crm.matching.text import Analyzer, normalise

# Where a term sits in a park's profile, and how much an occurrence there weighs.
FIELD_WEIGHTS = {"keyword": 2.5, "link": 2.0, "chain": 1.5, "industry": 1.5, "positioning": 1.0}
# A term found in several places is credited to the most specific one, in this order.
PLACE_ORDER = {"link": 0, "chain": 1, "industry": 2, "positioning": 3}
QUERY_WEIGHTS = {"main_business": 1.0, "name": 0.6, "industry": 0.6}
INDUSTRY_POINTS = 2.0
EVIDENCE_POINTS = 1.5
EVIDENCE_MAX = 3
TIER_POINTS = {"世界500强": 1.5, "中国500强": 1.2, "中国制造业500强": 1.0, "民企500强": 1.0, "央企": 1.0,
               "上市公司": 0.5, "专精特新": 0.5}
SIGNED_STAGES = {"signed": "签约", "preparing": "签约", "started": "落地", "producing": "落地"}


@dataclass(frozen=True)
class LinkProfile:
    id: int
    chain: str
    name: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParkProfile:
    id: int
    code: str
    name: str
    level: str = "base"
    parent_code: str = ""
    parent_name: str = ""
    positioning: str = ""
    industries: tuple[str, ...] = ()
    links: tuple[LinkProfile, ...] = ()
    eco_restricted: bool = False
    region: str = ""

    @property
    def is_key_park(self) -> bool:
        return self.level == "key_park"


@dataclass(frozen=True)
class CompanyProfile:
    name: str = ""
    industry: str = ""
    main_business: str = ""
    tiers: tuple[str, ...] = ()
    ownership: str = ""
    energy_use: float | None = None
    id: int | None = None

    @property
    def text(self) -> str:
        return " ".join([self.name, self.industry, self.main_business])


@dataclass(frozen=True)
class Evidence:
    """A signed or landed project: what the database knows a similar company already did."""

    park_code: str
    project_name: str
    stage: str
    company_id: int | None = None
    industry: str = ""
    terms: frozenset[str] = frozenset()
    project_id: int | None = None

    @property
    def order(self) -> tuple:
        """Where the project stands among equally similar ones: the evidence query's ORDER BY."""
        return self.stage, self.project_id or 0


@dataclass(frozen=True)
class Part:
    points: float
    reason: str
    kind: str


@dataclass
class ParkMatch:
    park: ParkProfile
    parts: list[Part]
    warnings: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(p.points for p in self.parts), 1)

    @property
    def reasons(self) -> list[str]:
        return [p.reason for p in self.parts]


def _rounded(points: float, reason: str, kind: str) -> Part:
    return Part(round(points, 1), reason, kind)


def _place_label(park: ParkProfile, place: tuple, words: str, links: dict[int, LinkProfile]) -> str:
    kind, key = place
    if kind == "link":
        link = links[key]
        return f"主营 {words} 与 {park.name} 产业链「{link.chain}」环节「{link.name}」相符"
    if kind == "chain":
        return f"主营 {words} 与 {park.name} 产业链「{key}」相符"
    if kind == "industry":
        return f"主营 {words} 属于 {park.name} 主导产业「{key}」"
    return f"主营 {words} 符合 {park.name} 产业定位"


class _ParkDoc:
    """One park's profile as weighted terms, each remembering the places it occurs in."""

    def __init__(self, park: ParkProfile, analyzer: Analyzer):
        self.park = park
        self.links = {link.id: link for link in park.links}
        self.places: dict[str, dict[tuple, float]] = defaultdict(lambda: defaultdict(float))
        self._add(analyzer.terms(park.positioning), ("positioning", ""), FIELD_WEIGHTS["positioning"])
        for industry in park.industries:
            self._add(analyzer.phrase_terms(industry), ("industry", industry), FIELD_WEIGHTS["industry"])
        for chain in dict.fromkeys(link.chain for link in park.links):
            self._add(analyzer.phrase_terms(chain), ("chain", chain), FIELD_WEIGHTS["chain"])
        for link in park.links:
            self._add(analyzer.phrase_terms(link.name), ("link", link.id), FIELD_WEIGHTS["link"])
            for keyword in link.keywords:
                self._add(analyzer.phrase_terms(keyword), ("link", link.id), FIELD_WEIGHTS["keyword"])
        self.tf = {term: sum(places.values()) for term, places in self.places.items()}
        self.length = sum(self.tf.values())

    def _add(self, terms: list[str], place: tuple, weight: float) -> None:
        for term in terms:
            self.places[term][place] += weight

    def best_place(self, term: str) -> tuple:
        return min(self.places[term], key=lambda p: (PLACE_ORDER[p[0]], -self.places[term][p]))


class ParkIndex:
    """BM25 over park profiles, built once per version of the parks' data."""

    def __init__(self, parks: list[ParkProfile], analyzer: Analyzer, k1: float = 1.2, b: float = 0.5):
        self.analyzer, self.k1, self.b = analyzer, k1, b
        self.docs = [_ParkDoc(park, analyzer) for park in parks]
        self.by_code = {doc.park.code: doc.park for doc in self.docs}
        n = len(self.docs) or 1
        self.avg_length = (sum(d.length for d in self.docs) / n) or 1.0
        df: dict[str, int] = defaultdict(int)
        for doc in self.docs:
            for term in doc.tf:
                df[term] += 1
        self.idf = {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}

    def query(self, company: CompanyProfile) -> dict[str, tuple[float, str]]:
        """Company terms → (weight, the company's own word to show); literal words beat synonyms."""
        query: dict[str, tuple[float, str]] = {}
        for source, weight in QUERY_WEIGHTS.items():
            for token in self.analyzer.tokens(getattr(company, source)):
                for term in (token, self.analyzer.canonical.get(token, token)):
                    literal = term == token
                    old = query.get(term)
                    if old is None or weight > old[0] or (literal and weight == old[0] and old[1] != term):
                        query[term] = (weight, token)
        return query

    def text_parts(self, doc: _ParkDoc, query: dict[str, tuple[float, str]]) -> list[Part]:
        by_place: dict[tuple, list] = defaultdict(lambda: [0.0, []])
        norm = self.k1 * (1 - self.b + self.b * doc.length / self.avg_length)
        for term, (weight, word) in query.items():
            tf = doc.tf.get(term)
            if not tf:
                continue
            points = weight * self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
            slot = by_place[doc.best_place(term)]
            slot[0] += points
            if word not in slot[1]:
                slot[1].append(word)
        parts = [_rounded(points, _place_label(doc.park, place, "、".join(_longest(words)), doc.links), place[0])
                 for place, (points, words) in by_place.items()]
        return sorted((p for p in parts if p.points > 0), key=lambda p: -p.points)


def _longest(words: list[str]) -> list[str]:
    """Drop words contained in a longer shown word ("正极" beside "正极材料")."""
    return [w for w in words if not any(w != other and w in other for other in words)]


def _industry_part(park: ParkProfile, company: CompanyProfile) -> list[Part]:
    industry = normalise(company.industry).strip()
    if industry and industry in {normalise(i) for i in park.industries}:
        return [Part(INDUSTRY_POINTS, f"所属行业「{company.industry}」是 {park.name} 的主导产业", "industry_match")]
    return []


class _ParkEvidence:
    """One park's signed projects, and the positions (in `items`) of those using each term, of each
    industry and of each company, as bit masks: comparing a company with thousands of projects is then a
    few dozen operations on integers rather than a loop over the projects.

    Projects changed since the park was built (EvidenceIndex.changed) are struck out in `dead` and, when
    still signed, appended at the end and marked in `tail`: the positions outside `tail` keep the
    projects' order, those in `tail` are put in order when read."""

    def __init__(self):
        self.items: list[Evidence] = []
        self.by_term: dict[str, int] = {}
        self.by_industry: dict[str, int] = {}
        self.by_company: dict[int, int] = {}
        self.position_of: dict[int, int] = {}  # project id -> position
        self.dead = 0
        self.tail = 0
        # While adding: positions per key, made into masks once by seal(). OR-ing each project into growing
        # masks made a new big integer per project and term, a peak of tens of MB in every worker.
        self._positions: dict[tuple, array] = defaultdict(lambda: array("I"))

    def add(self, item: Evidence) -> None:
        position = len(self.items)
        if item.project_id is not None:
            self.position_of[item.project_id] = position
        # the masks keep the item's terms; a set per project kept as well would cost each worker MBs
        self.items.append(replace(item, terms=frozenset()))
        for term in item.terms:
            self._positions["term", term].append(position)
        if item.industry:
            self._positions["industry", normalise(item.industry)].append(position)
        if item.company_id is not None:
            self._positions["company", item.company_id].append(position)

    def seal(self) -> None:
        masks = {"term": self.by_term, "industry": self.by_industry, "company": self.by_company}
        size = (len(self.items) + 7) // 8
        for (kind, key), positions in self._positions.items():
            bits = bytearray(size)
            for position in positions:
                bits[position >> 3] |= 1 << (position & 7)
            masks[kind][key] = int.from_bytes(bits, "little")
        self._positions.clear()

    def changed(self, struck: Iterable[int], appended: Iterable[Evidence]) -> "_ParkEvidence":
        """A copy with the projects `struck` (ids) struck out and `appended` added at the end: a few projects
        changed among thousands cost a few integer operations each, not a rebuild."""
        struck = set(struck)
        copy = _ParkEvidence()
        copy.items, copy.dead, copy.tail = list(self.items), self.dead, self.tail
        copy.position_of = {i: p for i, p in self.position_of.items() if i not in struck}
        copy.by_term, copy.by_industry = dict(self.by_term), dict(self.by_industry)
        copy.by_company = dict(self.by_company)
        for project_id in struck:
            copy.dead |= 1 << self.position_of[project_id]
        for item in appended:
            if item.project_id is not None:
                copy.position_of[item.project_id] = len(copy.items)
            bit = 1 << len(copy.items)
            copy.items.append(replace(item, terms=frozenset()))
            copy.tail |= bit
            keyed = [(copy.by_term, term) for term in item.terms]
            if item.industry:
                keyed.append((copy.by_industry, normalise(item.industry)))
            if item.company_id is not None:
                keyed.append((copy.by_company, item.company_id))
            for masks, key in keyed:
                masks[key] = masks.get(key, 0) | bit
        return copy

    def in_order(self, mask: int) -> Iterator[int]:
        """The positions in mask in the projects' order, lazily where the built order holds."""
        mask &= ~self.dead
        if not mask & self.tail:
            return _positions(mask)
        appended = sorted(_positions(mask & self.tail), key=lambda p: self.items[p].order)
        return heapq.merge(_positions(mask & ~self.tail), appended, key=lambda p: self.items[p].order)


class EvidenceIndex:
    """Signed projects grouped by park code; built once per version of the data and shared by requests.
    `park_of` and each park's `position_of` locate a project, so that `changed` can derive the index of a few
    changed projects. (Plain int and str values: the garbage collector does not walk such dicts.)"""

    def __init__(self, evidence: Iterable[Evidence] = ()):
        self.by_park: dict[str, _ParkEvidence] = defaultdict(_ParkEvidence)
        self.park_of: dict[int, str] = {}
        for item in evidence:
            self.by_park[item.park_code].add(item)
            if item.project_id is not None:
                self.park_of[item.project_id] = item.park_code
        for park in self.by_park.values():
            park.seal()

    def changed(self, gone: Iterable[int], added: Iterable[Evidence]) -> "EvidenceIndex":
        """A new index without the projects `gone` (ids) and with `added`; parks untouched are shared."""
        gone = set(gone)
        struck: dict[str, list[int]] = defaultdict(list)
        appended: dict[str, list[Evidence]] = defaultdict(list)
        for project_id in gone:
            if project_id in self.park_of:
                struck[self.park_of[project_id]].append(project_id)
        for item in added:
            appended[item.park_code].append(item)
        result = EvidenceIndex()
        result.by_park.update(self.by_park)
        result.park_of = {i: code for i, code in self.park_of.items() if i not in gone}
        for code in struck.keys() | appended.keys():
            result.by_park[code] = (self.by_park.get(code) or _ParkEvidence()).changed(struck[code], appended[code])
        result.park_of.update((item.project_id, item.park_code) for item in added if item.project_id is not None)
        return result


def _sharing(masks: list[int]) -> list[int]:
    """levels[i]: the positions found in at least i + 1 of the masks."""
    levels: list[int] = []
    for mask in masks:
        levels.append(0)
        for i in range(len(levels) - 1, 0, -1):
            levels[i] |= levels[i - 1] & mask
        levels[0] |= mask
    return levels


def _positions(mask: int) -> Iterator[int]:
    """The positions set in mask, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _evidence_parts(park: ParkProfile, company: CompanyProfile, terms: set[str],
                    evidence: _ParkEvidence | None) -> list[Part]:
    """Up to EVIDENCE_MAX projects of other companies at the park: those sharing the most terms (two at
    least) first, then those of the same industry sharing one term, then none; ties in project order."""
    if evidence is None:
        return []
    industry = normalise(company.industry).strip()
    others = ~evidence.by_company.get(company.id, 0) if company.id is not None else -1  # -1: every bit set
    levels = [*_sharing([evidence.by_term[t] for t in terms if t in evidence.by_term]), 0, 0]
    peers = evidence.by_industry.get(industry, 0) if industry else 0
    # Exactly k shared terms, for k from the most down to 2; then peers sharing exactly one; then none.
    groups = [levels[i] & ~levels[i + 1] for i in range(len(levels) - 2, 0, -1)]
    groups += [peers & levels[0] & ~levels[1], peers & ~levels[0]]
    ranked = chained.from_iterable(evidence.in_order(group & others) for group in groups)
    return [Part(EVIDENCE_POINTS, f"同类企业已在该园区{SIGNED_STAGES.get(item.stage, '签约')}：{item.project_name}",
                 "evidence") for item in (evidence.items[p] for p in islice(ranked, EVIDENCE_MAX))]


def tier_parts(company: CompanyProfile) -> list[Part]:
    labels = list(dict.fromkeys([*company.tiers, company.ownership]))
    return [Part(TIER_POINTS[label], label, "tier") for label in labels if label in TIER_POINTS]


def park_warnings(park: ParkProfile, company: CompanyProfile, terms: list[str], rules: PolicyRules,
                  by_region: dict | None = None) -> list[str]:
    """by_region keeps the rule warnings per region (they depend on the region only) across the parks
    of one ranking, so that the rules are checked once per region rather than once per park."""
    by_region = {} if by_region is None else by_region
    if park.region not in by_region:
        by_region[park.region] = rule_warnings(company.text, terms, park.region, rules)
    warnings, energy = by_region[park.region]
    warnings = list(warnings)
    if company.energy_use is not None and company.energy_use >= rules.high_energy_use:
        energy = True
    if energy:
        warnings += eco_warnings(park.name, park.region, park.eco_restricted, rules)
    return warnings


def rank_parks(company: CompanyProfile, index: ParkIndex, *, evidence: EvidenceIndex | Iterable[Evidence] = (),
               rules: PolicyRules = PolicyRules(), top: int = 5,
               evidence_parks: Container[int] | None = None) -> list[ParkMatch]:
    """Parks that fit the company, best first; bases before key parks (a key park is broader).
    `evidence` is best given as an EvidenceIndex built once (10,000+ signed projects at scale).
    evidence_parks: the ids of the parks whose projects the viewer may see (None: every park); the others are
    ranked without their projects, which would name them and count them."""
    if not isinstance(evidence, EvidenceIndex):
        evidence = EvidenceIndex(evidence)
    query = index.query(company)
    terms = set(index.analyzer.terms(company.text))
    matches, by_region = [], {}
    for doc in index.docs:
        parts = index.text_parts(doc, query) + _industry_part(doc.park, company)
        if evidence_parks is None or doc.park.id in evidence_parks:
            parts += _evidence_parts(doc.park, company, terms, evidence.by_park.get(doc.park.code))
        if not parts:
            continue
        parts += tier_parts(company)
        matches.append(ParkMatch(doc.park, parts, park_warnings(doc.park, company, list(terms), rules, by_region)))
    matches.sort(key=lambda m: (m.park.is_key_park, -m.score, m.park.code))
    return matches[:top]


def general_warnings(company: CompanyProfile, analyzer: Analyzer, rules: PolicyRules,
                     region: str = "") -> list[str]:
    """Warnings that hold whatever the park (shown even when no park fits)."""
    return rule_warnings(company.text, analyzer.terms(company.text), region, rules)[0]


@dataclass(frozen=True)
class Candidate:
    """A company of the database, as its precomputed terms."""

    id: int
    name: str
    industry: str = ""
    terms: frozenset[str] = frozenset()
    tiers: tuple[str, ...] = ()
    ownership: str = ""


@dataclass
class CompanyMatch:
    company: Candidate
    parts: list[Part]

    @property
    def score(self) -> float:
        return round(sum(p.points for p in self.parts), 1)

    @property
    def reasons(self) -> list[str]:
        return [p.reason for p in self.parts]


def link_query(link: LinkProfile, analyzer: Analyzer) -> dict[str, float]:
    """Terms a company filling this link would use, weighted: keywords, then the link's and chain's names."""
    query: dict[str, float] = {}
    sources = [(link.chain, 1.0), (link.name, FIELD_WEIGHTS["link"])]
    sources += [(keyword, FIELD_WEIGHTS["keyword"]) for keyword in link.keywords]
    for phrase, weight in sources:
        for term in analyzer.phrase_terms(phrase):
            query[term] = max(weight, query.get(term, 0.0))
    return query


def score_for_link(park: ParkProfile, link: LinkProfile, query: dict[str, float], company: Candidate,
                   idf: dict[str, float]) -> CompanyMatch | None:
    """How well a company fits a link: its matching terms (rarer terms count more), industry, tiers."""
    matched = [t for t in query if t in company.terms]
    if not matched:
        return None
    points = sum(query[t] * idf.get(t, 1.0) for t in matched)
    words = "、".join(_longest(sorted(matched, key=lambda t: -query[t])))
    parts = [_rounded(points, f"主营 {words} 与 {park.name} 产业链「{link.chain}」环节「{link.name}」相符", "link")]
    industry = normalise(company.industry).strip()
    if industry and industry in {normalise(i) for i in park.industries}:
        reason = f"所属行业「{company.industry}」是 {park.name} 的主导产业"
        parts.append(Part(INDUSTRY_POINTS, reason, "industry_match"))
    profile = CompanyProfile(name=company.name, tiers=company.tiers, ownership=company.ownership)
    return CompanyMatch(company, parts + tier_parts(profile))


def company_idf(total: int, document_frequency: dict[str, int]) -> dict[str, float]:
    return {t: math.log(1 + (total - k + 0.5) / (k + 0.5)) for t, k in document_frequency.items()}
