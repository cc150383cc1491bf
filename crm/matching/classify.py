"""GB/T 4754-2017 (国民经济行业分类) as a hierarchy: suggest a code from text, and say how close two codes are.

Pure apart from reading the seed file once per process. A code is a 门类 letter ("C"), a 大类 ("38"), a 中类
("382") or a 小类 ("3825"); the 门类 of a 大类 comes from the table.
"""
import hashlib
import json
import math
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import yaml

from crm.core.seedfiles import SEEDS, load_yaml
from crm.matching.text import Analyzer

LEVEL_NAMES = {1: "门类", 2: "大类", 3: "中类", 4: "小类"}
# How alike two activities are when they first share this level; 门类 alone (all of manufacturing) says nothing.
SIMILARITY = {4: 1.0, 3: 0.7, 2: 0.4, 1: 0.0}
NAME_WEIGHT, NOTE_WEIGHT = 3.0, 1.0


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    note: str = ""

    @property
    def level(self) -> int:
        return 1 if self.code.isalpha() else len(self.code)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class Closeness:
    similarity: float
    level: int  # the deepest level the two codes share (0: none)
    shared: Code | None

    @property
    def words(self) -> str:
        return f"同属{LEVEL_NAMES[self.level]}「{self.shared.label}」" if self.shared else ""


NONE = Closeness(0.0, 0, None)


class Classification:
    def __init__(self, rows: list[list[str]], sections: dict[str, str]):
        self.codes = {str(code): Code(str(code), name.strip(), (note or "").strip()) for code, name, note in rows}
        self.section_of = {str(k): v for k, v in sections.items()}
        self._closeness: dict[tuple[str, str], Closeness] = {}

    def get(self, code: str) -> Code | None:
        return self.codes.get((code or "").strip().upper())

    def path(self, code: str) -> list[str]:
        """门类, 大类, 中类, 小类 down to the code itself: "3825" → ["C", "38", "382", "3825"]."""
        code = (code or "").strip().upper()
        if code not in self.codes:
            return []
        if code.isalpha():
            return [code]
        return [self.section_of.get(code[:2], ""), *[code[:n] for n in range(2, len(code) + 1)]]

    def closeness(self, a: str, b: str) -> Closeness:
        """Kept per pair: precedent compares one company's code with thousands of projects' few codes."""
        key = (a, b)
        found = self._closeness.get(key)
        if found is None:
            found = self._closeness[key] = self._closeness_of(a, b)
        return found

    def _closeness_of(self, a: str, b: str) -> Closeness:
        left, right = self.path(a), self.path(b)
        shared = 0
        for x, y in zip(left, right, strict=False):
            if x != y or not x:
                break
            shared += 1
        if not shared:
            return NONE
        return Closeness(SIMILARITY[shared], shared, self.codes[left[shared - 1]])


class Suggester:
    """BM25 over the 小类 and 中类 names (weighted) and their notes: the likeliest codes for a text."""

    def __init__(self, classification: Classification, analyzer: Analyzer, k1: float = 1.2, b: float = 0.6,
                 docs: dict[str, dict[str, float]] | None = None):
        self.classification, self.analyzer, self.k1, self.b = classification, analyzer, k1, b
        self.docs = docs if docs is not None else self.documents(classification, analyzer)
        n = len(self.docs) or 1
        self.lengths = {c: sum(tf.values()) for c, tf in self.docs.items()}
        self.average = (sum(self.lengths.values()) / n) or 1.0
        df: dict[str, int] = defaultdict(int)
        self.postings: dict[str, list[str]] = defaultdict(list)
        for code, tf in self.docs.items():
            for term in tf:
                df[term] += 1
                self.postings[term].append(code)
        self.idf = {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}

    @staticmethod
    def documents(classification: Classification, analyzer: Analyzer) -> dict[str, dict[str, float]]:
        """Each 中类 and 小类 as weighted terms of its name and note (segmenting them takes about a second)."""
        docs = {}
        for code in classification.codes.values():
            if code.level < 3:
                continue
            tf: dict[str, float] = defaultdict(float)
            for term in analyzer.terms(code.name):
                tf[term] += NAME_WEIGHT
            for term in analyzer.terms(code.note):
                tf[term] += NOTE_WEIGHT
            if tf:
                docs[code.code] = dict(tf)
        return docs

    def suggest(self, text: str, top: int = 3) -> list[tuple[Code, float]]:
        terms = set(self.analyzer.terms(text))
        scores: dict[str, float] = defaultdict(float)
        for term in terms:
            idf = self.idf.get(term)
            if idf is None:
                continue
            for code in self.postings[term]:
                tf = self.docs[code][term]
                norm = self.k1 * (1 - self.b + self.b * self.lengths[code] / self.average)
                scores[code] += idf * tf * (self.k1 + 1) / (tf + norm)
        # a 小类 and its own 中类 found for the same words: the 小类 says more
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
        return [(self.classification.codes[c], round(s, 2)) for c, s in ranked[:top]]

    def best(self, text: str, minimum: float = 2.0) -> str:
        found = self.suggest(text, 1)
        return found[0][0].code if found and found[0][1] >= minimum else ""


@lru_cache(maxsize=1)
def classification() -> Classification:
    """Parsed once per process, with libyaml where it is there: 0.4 s instead of 3 s for the 1,971 rows."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (SEEDS / "gbt4754_2017.yaml").open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader
    return Classification(data["codes"], data["sections"])


@lru_cache(maxsize=1)
def suggester() -> Suggester:
    """Built once per process. The segmented table is kept as JSON in the temporary directory, under a hash of
    the files it comes from and of jieba's version: a new worker reads it in a few milliseconds instead of
    segmenting 1,900 names and notes again."""
    table = classification()
    analyzer = Analyzer(load_yaml("synonyms.yaml")["groups"])
    digest = hashlib.sha256(jieba.__version__.encode())
    for name in ("gbt4754_2017.yaml", "synonyms.yaml"):
        digest.update((SEEDS / name).read_bytes())
    kept = Path(tempfile.gettempdir()) / f"crm-gbt4754-terms-{digest.hexdigest()[:16]}.json"
    try:
        docs = json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        docs = Suggester.documents(table, analyzer)
        scratch = kept.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
        os.replace(scratch, kept)  # workers starting together each write whole files; one wins
    return Suggester(table, analyzer, docs=docs)
