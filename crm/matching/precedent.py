"""Precedent: the signed, started and producing projects at each park, as evidence of where a company fits.

A project counts by how like the company it is (shared words weighted by rarity, and how close their
GB/T 4754 codes are), by how recent it is and by how far it got (started and producing weigh more than
signed). Several similar projects at one park add up with diminishing returns, so that a cluster can
outweigh a park's old positioning. Pure: plain data in and out.
"""
import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

SIGNED_STAGES = ("signed", "preparing", "started", "producing")
LANDED = {"started": "开工", "producing": "投产"}
STAGE_WEIGHT = {"signed": 0.8, "preparing": 0.85, "started": 1.0, "producing": 1.0}
HALF_LIFE_YEARS = 8.0  # a project this old counts half as much as one of today (clusters last)
UNDATED_WEIGHT = 0.7
MIN_SIMILARITY = 0.3  # less alike than this, a project is no precedent
OWN_SIMILARITY = 0.9  # the company's own project at the park, whatever it makes: companies expand where they are
CODE_SHARE = 0.8  # how much of the similarity the codes alone can make
MAX_POINTS = 12.0  # what a cluster of very similar recent projects is worth at most
NAMED = 3  # projects named in the reasons
CANDIDATES = 60  # the most alike projects of a park weighed for its points


@dataclass(frozen=True)
class Evidence:
    """A signed or landed project: what a similar company already did, and where."""

    park_code: str
    project_name: str
    stage: str
    company_id: int | None = None
    industry: str = ""
    terms: tuple[str, ...] = ()
    project_id: int | None = None
    gbt_code: str = ""
    signed_on: date | None = None
    started_on: date | None = None
    producing_on: date | None = None

    @property
    def order(self) -> tuple:
        return self.stage, self.project_id or 0

    def as_of(self, day: date) -> "Evidence | None":
        """The project as it stood on `day` (signed before it), or None when it was not signed yet."""
        if self.signed_on is None or self.signed_on >= day:
            return None
        stage = self.stage
        if stage == "producing" and not (self.producing_on and self.producing_on < day):
            stage = "started"
        if stage == "started" and not (self.started_on and self.started_on < day):
            stage = "signed"
        return replace(self, stage=stage) if stage != self.stage else self

    @property
    def event_on(self) -> date | None:
        """When it reached its stage."""
        if self.stage == "producing" and self.producing_on:
            return self.producing_on
        if self.stage in ("started", "producing") and self.started_on:
            return self.started_on
        return self.signed_on


@dataclass(frozen=True)
class Hit:
    item: Evidence
    weight: float  # similarity × recency × stage, in 0..1
    own: bool = False  # a project of the company itself

    @property
    def reason(self) -> str:
        who = "本企业" if self.own else "同类项目"
        when = self.item.event_on
        if self.item.stage in LANDED:
            label = LANDED[self.item.stage]
            day = self.item.producing_on if self.item.stage == "producing" else self.item.started_on
            tail = f"（{day.year}年{label}）" if day else f"（已{label}）"
            return f"{who}已在该园区落地：{self.item.project_name}{tail}"
        tail = f"（{when.year}年签约）" if when else ""
        return f"{who}已在该园区签约：{self.item.project_name}{tail}"


class ParkEvidence:
    """One park's projects with their positions by term, by GB/T code prefix and by company."""

    def __init__(self, items: Iterable[Evidence] = ()):
        self.items: list[Evidence] = []
        self.by_term: dict[str, list[int]] = defaultdict(list)
        self.by_code: dict[str, list[int]] = defaultdict(list)  # 中类 and 小类 codes
        self.by_company: dict[int, list[int]] = defaultdict(list)
        for item in items:
            self.add(item)

    def add(self, item: Evidence) -> None:
        position = len(self.items)
        self.items.append(item)
        for term in set(item.terms):
            self.by_term[term].append(position)
        code = item.gbt_code
        if len(code) >= 3 and code[:2].isdigit():
            self.by_code[code[:3]].append(position)
        if item.company_id is not None:
            self.by_company[item.company_id].append(position)


class EvidenceIndex:
    """Projects grouped by park code, with the document frequency of each term over all of them."""

    def __init__(self, evidence: Iterable[Evidence] = ()):
        items = list(evidence)
        grouped: dict[str, list[Evidence]] = defaultdict(list)
        for item in items:
            grouped[item.park_code].append(item)
        self.by_park: dict[str, ParkEvidence] = {code: ParkEvidence(group) for code, group in grouped.items()}
        self.document_frequency = Counter(term for item in items for term in set(item.terms))
        self.count = len(items)
        self._dated: dict[date, EvidenceIndex] = {}

    @property
    def items(self) -> list[Evidence]:
        return [item for park in self.by_park.values() for item in park.items]

    def changed(self, gone: Iterable[int], added: Iterable[Evidence]) -> "EvidenceIndex":
        """A new index without the projects `gone` (ids) and with `added`; parks untouched are shared."""
        gone, added = set(gone), list(added)
        touched = {code for code, park in self.by_park.items() if any(i.project_id in gone for i in park.items)}
        touched |= {item.park_code for item in added}
        result = EvidenceIndex()
        result.by_park = dict(self.by_park)
        result.document_frequency = Counter(self.document_frequency)
        result.count = self.count
        for code in touched:
            old = self.by_park.get(code)
            kept = [i for i in old.items if i.project_id not in gone] if old else []
            for item in (old.items if old else []):
                if item.project_id in gone:
                    result.document_frequency.subtract(set(item.terms))
                    result.count -= 1
            fresh = [*kept, *(i for i in added if i.park_code == code)]
            result.by_park[code] = ParkEvidence(sorted(fresh, key=lambda i: i.order))
        for item in added:
            result.document_frequency.update(set(item.terms))
            result.count += 1
        return result

    def as_of(self, day: date | None) -> "EvidenceIndex":
        """Only the projects signed before `day`, each at the stage it had reached by then (kept per day)."""
        if day is None:
            return self
        if day not in self._dated:
            if len(self._dated) > 16:
                self._dated.clear()
            self._dated[day] = EvidenceIndex(e for e in (i.as_of(day) for i in self.items) if e is not None)
        return self._dated[day]

    def idf(self, term: str) -> float:
        n = self.count or 1
        return math.log(1 + (n + 1) / (self.document_frequency.get(term, 0) + 0.5))


def recency(item: Evidence, today: date) -> float:
    when = item.event_on
    if when is None:
        return UNDATED_WEIGHT
    years = max(0.0, (today - when).days / 365.25)
    return 0.5 ** (years / HALF_LIFE_YEARS)


def _overlap(park: ParkEvidence, index: EvidenceIndex, terms: Iterable[str]) -> dict[int, float]:
    """position → the share of the company's terms (weighted by rarity) that the project uses too."""
    weights = {t: index.idf(t) for t in set(terms)}
    total = sum(weights.values())
    overlap: dict[int, float] = defaultdict(float)
    if total:
        for term, weight in weights.items():
            share = weight / total
            for position in park.by_term.get(term, ()):
                overlap[position] += share
    return overlap


def hits(park: ParkEvidence | None, index: EvidenceIndex, terms: Iterable[str], codes: Iterable[str],
         closeness: Callable[[str, str], float], today: date, company_id: int | None = None) -> list[Hit]:
    """The park's projects like the company (its terms and GB/T codes), and the company's own projects there
    (a company expands where it already is), most telling first."""
    if park is None:
        return []
    codes = [c for c in codes if c]
    overlap = _overlap(park, index, terms)
    for code in codes:
        for position in park.by_code.get(code[:3], ()):
            overlap.setdefault(position, 0.0)
    own = set(park.by_company.get(company_id, ())) if company_id is not None else set()
    by_code: dict[str, float] = {}  # a project's code → its closeness to the company's (few distinct codes)
    alike = [(OWN_SIMILARITY, -position) for position in own]
    for position, share in overlap.items():
        if position in own:
            continue
        code = park.items[position].gbt_code
        if code not in by_code:
            by_code[code] = max((closeness(c, code) for c in codes), default=0.0) if code else 0.0
        similarity = 1 - (1 - min(share, 1.0)) * (1 - CODE_SHARE * by_code[code])
        if similarity >= MIN_SIMILARITY:
            alike.append((similarity, -position))
    # Past the most alike few dozen, more projects add next to nothing to the park's points (see `points`).
    found = []
    for similarity, position in heapq.nlargest(CANDIDATES, alike):
        item = park.items[-position]
        found.append(Hit(item, similarity * recency(item, today) * STAGE_WEIGHT.get(item.stage, 0.8),
                         own=-position in own))
    found.sort(key=lambda h: (-h.weight, h.item.order))
    return found


def points(found: list[Hit]) -> list[float]:
    """Each hit's share of the park's precedent points: together MAX_POINTS × (1 − Π(1 − weight))."""
    shares, remaining = [], 1.0
    for hit in found:
        shares.append(MAX_POINTS * remaining * hit.weight)
        remaining *= 1 - hit.weight
    return shares
