"""Explained match scores: parks for a company, companies for a chain link. Pure: plain data in and out.

Each score is the sum of named parts and each part carries the Chinese sentence shown to the user:
BM25 over the park's profile (positioning, leading industries, chain and link names, link keywords —
keywords weigh most), the industry dictionary, projects similar companies already signed there,
and the company's tiers and ownership.
"""
import math
import re
from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from datetime import date

from crm.core.db import utcnow
from crm.core.formatting import local_today
from crm.matching import precedent
from crm.matching.classify import Classification, Closeness, Suggester
from crm.matching.precedent import Evidence, EvidenceIndex
from crm.matching.rules import PolicyRules, eco_warnings, rule_warnings
from crm.matching.text import STOP_WORDS, Analyzer, normalise

# Where a term sits in a park's profile, and how much an occurrence there weighs.
FIELD_WEIGHTS = {"keyword": 2.5, "link": 2.0, "chain": 1.5, "industry": 1.5, "positioning": 1.0}
# A term found in several places is credited to the most specific one, in this order.
PLACE_ORDER = {"link": 0, "chain": 1, "industry": 2, "positioning": 3}
QUERY_WEIGHTS = {"main_business": 1.0, "name": 0.6, "industry_words": 0.8}
INDUSTRY_POINTS = 2.0
CLASS_POINTS = 3.0  # a company's GB/T code the same 小类 as a link's; less for a shared 中类 or 大类
SUGGESTED_CODE_MINIMUM = 6.0  # a code suggested from text with a lower score is not used
SUGGESTED_CODE_SHARE = 0.6  # a suggested code counts this much of a confirmed one
# A key park's chains sum up several bases: its own fit counts this much of a base's, so that a base that
# fits as well comes first and the key park after it, where its score puts it (its precedent counts whole).
KEY_PARK_SHARE = 0.6
BASE_SHARE_OF_KEY_PARK = 0.3  # of its key park's own fit, a base that fits in its own right gets this much
FALLBACK_POINTS = 1.5  # at most, for a park whose whole text only resembles the description
WEAK_BELOW = 3.0  # a park whose points (tiers aside) stay below this is listed apart as 弱相关
WEAK_KINDS = {"fallback", "class_major"}
PLACE_POINTS = 6.0  # the description names the park: the company has chosen it, or been placed there
TIER_POINTS = {"世界500强": 1.5, "中国500强": 1.2, "中国制造业500强": 1.0, "民企500强": 1.0, "央企": 1.0,
               "上市公司": 0.5, "专精特新": 0.5}


@dataclass(frozen=True)
class LinkProfile:
    id: int
    chain: str
    name: str
    keywords: tuple[str, ...] = ()
    gbt_code: str = ""  # confirmed by a person; else suggested from the link's words (ParkIndex)


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
    children: tuple[str, ...] = ()  # a key park's bases, by name
    anchors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # names that, in a description, mean this park (德令哈, 曹家堡)

    @property
    def is_key_park(self) -> bool:
        return self.level == "key_park"

    @property
    def key_park_code(self) -> str:
        """The key park this park is, or belongs to."""
        return self.code if self.is_key_park else self.parent_code


@dataclass(frozen=True)
class CompanyProfile:
    name: str = ""
    industry: str = ""
    main_business: str = ""
    tiers: tuple[str, ...] = ()
    ownership: str = ""
    energy_use: float | None = None
    id: int | None = None
    industry_text: str = ""  # the industry as the company writes it (光伏制造(单晶硅棒))
    gbt_code: str = ""  # GB/T 4754-2017, confirmed by a person

    @property
    def industry_words(self) -> str:
        return " ".join(dict.fromkeys(w for w in (self.industry, self.industry_text) if w))

    @property
    def text(self) -> str:
        return " ".join([self.name, self.industry_words, self.main_business])


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

    @property
    def weak(self) -> bool:
        """Not a recommendation: only the wording or only the 大类 fits, or too little of anything."""
        own = [p for p in self.parts if p.kind != "tier"]
        return sum(p.points for p in own) < WEAK_BELOW or all(p.kind in WEAK_KINDS for p in own)


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
        whole = " ".join([park.name, park.positioning, *park.industries, *park.anchors,
                          *(w for link in park.links for w in (link.chain, link.name, *link.keywords))])
        self.grams: dict[str, int] = defaultdict(int)
        for gram in bigrams(whole):
            self.grams[gram] += 1
        self.gram_length = sum(self.grams.values())
        self.link_codes: dict[int, str] = {}  # link id → its GB/T code, confirmed or suggested

    def _add(self, terms: list[str], place: tuple, weight: float) -> None:
        for term in terms:
            self.places[term][place] += weight

    def best_place(self, term: str) -> tuple:
        return min(self.places[term], key=lambda p: (PLACE_ORDER[p[0]], -self.places[term][p]))


NO_CLOSENESS = Closeness(0.0, 0, None)
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def bigrams(text: str) -> list[str]:
    """Character pairs of the Chinese runs of a text, those that are stop words left out: a fallback that
    still finds "驼奶" in "乳制品" parks' words where segmentation and synonyms found nothing."""
    grams = []
    for run in _HAN.findall(normalise(text)):
        grams += [run[i:i + 2] for i in range(len(run) - 1) if run[i:i + 2] not in STOP_WORDS]
    return grams


class ParkIndex:
    """BM25 over park profiles, built once per version of the parks' data; a second BM25 over character
    pairs of each park's whole text; and, given the classification, each link's GB/T code."""

    def __init__(self, parks: list[ParkProfile], analyzer: Analyzer, k1: float = 1.2, b: float = 0.5,
                 classification: Classification | None = None, suggester: Suggester | None = None):
        self.analyzer, self.k1, self.b = analyzer, k1, b
        self.classification, self.suggester = classification, suggester
        self.docs = [_ParkDoc(park, analyzer) for park in parks]
        self.by_code = {doc.park.code: doc.park for doc in self.docs}
        n = len(self.docs) or 1
        self.avg_length = (sum(d.length for d in self.docs) / n) or 1.0
        df: dict[str, int] = defaultdict(int)
        for doc in self.docs:
            for term in doc.tf:
                df[term] += 1
        self.idf = {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}
        gram_df: dict[str, int] = defaultdict(int)
        for doc in self.docs:
            for gram in doc.grams:
                gram_df[gram] += 1
        self.gram_idf = {g: math.log(1 + (n - k + 0.5) / (k + 0.5)) for g, k in gram_df.items()}
        self.avg_gram_length = (sum(d.gram_length for d in self.docs) / n) or 1.0
        if classification is not None:
            for doc in self.docs:
                for link in doc.park.links:
                    code = link.gbt_code
                    if not code and suggester is not None:
                        code = suggester.best(" ".join([link.chain, link.name, *link.keywords]), SUGGESTED_CODE_MINIMUM)
                    if code:
                        doc.link_codes[link.id] = code

    def company_codes(self, company: CompanyProfile) -> tuple[list[str], bool]:
        """The company's GB/T code: the confirmed one, else the likeliest from its words; and whether suggested."""
        if company.gbt_code:
            return [company.gbt_code], False
        if self.suggester is None:
            return [], True
        words = " ".join([company.industry_words, company.main_business]) or company.name
        code = self.suggester.best(words, SUGGESTED_CODE_MINIMUM)
        return ([code] if code else []), True

    def class_part(self, doc: "_ParkDoc", codes: list[str], suggested: bool) -> list[Part]:
        """How close the company's code comes to one of the park's links (walking 小类 → 中类 → 大类)."""
        if self.classification is None or not codes:
            return []
        best: tuple[Closeness, LinkProfile] | None = None
        for link in doc.park.links:
            code = doc.link_codes.get(link.id)
            if not code:
                continue
            for own in codes:
                near = self.classification.closeness(own, code)
                if near.level >= 2 and (best is None or near.similarity > best[0].similarity):
                    best = (near, link)
        if best is None:
            return []
        near, link = best
        shown = self.classification.get(codes[0])
        guess = f"（按描述归为「{shown.label}」）" if suggested and shown else ""
        where = f"{doc.park.name} 产业链「{link.chain}」环节「{link.name}」"
        weight = CLASS_POINTS * near.similarity * (SUGGESTED_CODE_SHARE if suggested else 1.0)
        if near.level == 2:
            return [_rounded(weight,
                             f"只有行业大类相符：「{near.shared.label}」（{where}）{guess}", "class_major")]
        return [_rounded(weight, f"行业分类{near.words}：{where}{guess}", "class")]

    def fallback_scores(self, text: str) -> dict[str, tuple[float, list[str]]]:
        """park code → (BM25 over character pairs, the pairs that matched, rarest first)."""
        query = set(bigrams(text))
        result = {}
        for doc in self.docs:
            norm = self.k1 * (1 - self.b + self.b * doc.gram_length / self.avg_gram_length)
            score, found = 0.0, []
            for gram in query:
                tf = doc.grams.get(gram)
                if tf:
                    score += self.gram_idf[gram] * tf * (self.k1 + 1) / (tf + norm)
                    found.append(gram)
            if score > 0:
                result[doc.park.code] = (score, sorted(found, key=lambda g: -self.gram_idf[g]))
        return result

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


def place_parts(park: ParkProfile, company: CompanyProfile) -> list[Part]:
    text = normalise(" ".join([company.industry_words, company.main_business]))
    named = [place for place in park.places if normalise(place) in text]
    if not named:
        return []
    return [Part(PLACE_POINTS, f"描述提到「{named[0]}」，即 {park.name}", "place")]


def precedent_parts(park: ParkProfile, company: CompanyProfile, index: ParkIndex, evidence: EvidenceIndex,
                    terms: Iterable[str], codes: list[str], today: date) -> list[Part]:
    """The park's projects like the company's, the most telling ones named, the rest summed in one part."""
    closeness = index.classification.closeness if index.classification else (lambda _a, _b: NO_CLOSENESS)
    found = precedent.hits(evidence.by_park.get(park.code), evidence, terms, codes,
                           lambda a, b: closeness(a, b).similarity, today, company.id)
    if not found:
        return []
    shares = precedent.points(found)
    parts = [Part(round(share, 1), hit.reason, "evidence")
             for hit, share in zip(found[:precedent.NAMED], shares, strict=False)]
    rest = found[precedent.NAMED:]
    if rest:
        parts.append(Part(round(sum(shares[precedent.NAMED:]), 1), f"另有 {len(rest)} 个同类项目在该园区签约或落地",
                          "evidence"))
    return [p for p in parts if p.points > 0]


def _share_key_park_fit(matches: list[tuple], own_fit: dict[str, float]) -> None:
    """A base that fits in its own right shares in its key park's fit: the region's policy covers it too."""
    for doc, parts in matches:
        fit = own_fit.get(doc.park.parent_code, 0.0) * BASE_SHARE_OF_KEY_PARK
        if fit >= 0.1 and any(p.kind not in WEAK_KINDS for p in parts):
            parts.append(_rounded(fit, f"所属重点园区 {doc.park.parent_name} 的产业布局相符", "key_park"))


def _fallback_matches(index: ParkIndex, unmatched: list, text: str) -> list[tuple]:
    """Parks nothing else reached, found by their whole text's character pairs: weak, and saying so."""
    fallback = index.fallback_scores(text)
    best = max((fallback[d.park.code][0] for d in unmatched if d.park.code in fallback), default=0.0)
    found = []
    for doc in unmatched:
        if doc.park.code in fallback:
            score, grams = fallback[doc.park.code]
            reason = f"只有文字相近：描述中的「{'、'.join(grams[:4])}」见于 {doc.park.name} 的园区介绍"
            found.append((doc, [_rounded(FALLBACK_POINTS * score / best, reason, "fallback")]))
    return found


def rank_parks(company: CompanyProfile, index: ParkIndex, *, evidence: EvidenceIndex | Iterable[Evidence] = (),
               rules: PolicyRules = PolicyRules(), top: int = 5,
               evidence_parks: Container[int] | None = None, today: date | None = None) -> list[ParkMatch]:
    """Parks that fit the company, best first, key parks among them where their score puts them; parks that fit
    only weakly (弱相关) after all the others. A park that nothing else reaches may still be found by its
    whole text's character pairs, so that a description that fits somewhere gets an answer, marked weak.
    `evidence` is best given as an EvidenceIndex built once (10,000+ signed projects at scale); `today`: the
    date the ranking is made as of (recency of precedent).
    evidence_parks: the ids of the parks whose projects the viewer may see (None: every park); the others are
    ranked without their projects, which would name them and count them."""
    if not isinstance(evidence, EvidenceIndex):
        evidence = EvidenceIndex(evidence)
    today = today or local_today(utcnow())
    query = index.query(company)
    terms = set(index.analyzer.terms(company.text))
    codes, suggested = index.company_codes(company)
    matches, unmatched, own_fit = [], [], {}
    for doc in index.docs:
        parts = index.text_parts(doc, query) + _industry_part(doc.park, company)
        parts += index.class_part(doc, codes, suggested)
        if doc.park.is_key_park:
            own_fit[doc.park.code] = sum(p.points for p in parts)
            parts = [Part(round(p.points * KEY_PARK_SHARE, 1), p.reason, p.kind) for p in parts]
        parts += place_parts(doc.park, company)
        if evidence_parks is None or doc.park.id in evidence_parks:
            parts += precedent_parts(doc.park, company, index, evidence, terms, codes, today)
        if parts:
            matches.append((doc, parts))
        else:
            unmatched.append(doc)
    _share_key_park_fit(matches, own_fit)
    if unmatched:
        matches += _fallback_matches(index, unmatched, company.text)
    ranked, by_region = [], {}
    for doc, parts in matches:
        parts = sorted(parts, key=lambda p: -p.points) + tier_parts(company)
        ranked.append(ParkMatch(doc.park, parts, park_warnings(doc.park, company, list(terms), rules, by_region)))
    ranked.sort(key=lambda m: (m.weak, -m.score, m.park.is_key_park, m.park.code))
    return ranked[:top]


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
