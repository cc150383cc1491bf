"""Policy text to search terms: the shared jieba tokenizer, the matching synonym table, the domain's words.

Clauses are indexed with every word and sub-word (cut for search) plus each word's canonical synonym;
a query is cut into its longest words, and each must be found (as itself or as its synonym group).
"""
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from crm.core.seedfiles import load_yaml
from crm.matching.text import add_words, normalise, segments

_WORD = re.compile(r"[A-Za-z0-9]+|[\u4e00-\u9fff]{2,}|[铝钛镁铜锂硅金银锌铅镍铬铁钢钾硼碱盐酒茶毯绒煤油气药玉氟税地电]")
MAX_TERM = 64
TAG_PREFIX = "#"  # a clause's tag is indexed as a term of its own ("#用地"), so a tag filter is one more term
# Words of the policies the general dictionary cuts apart; a search for them must find them whole.
DOMAIN_WORDS = ("投资强度", "亩均税收", "亩均产值", "容积率", "标准厂房", "标准化厂房", "建设用地", "企业所得税",
                "地方留成", "落后产能", "高耗能", "高排放", "淘汰落后产能", "招商引资", "产业转移", "承接产业转移",
                "资金到位率", "履约率", "开工率", "重大产业基地", "重点工业园区", "循环经济", "三级领导包联",
                "专项资金", "贷款贴息", "产业投资基金", "负面清单", "一站式", "绿色通道", "督办督查")


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """Each word of the matching synonym table → the members of its group, canonical first."""
    found: dict[str, tuple[str, ...]] = {}
    for group in load_yaml("synonyms.yaml")["groups"]:
        members = tuple(normalise(str(w)).strip() for w in group if str(w).strip())
        for member in members:
            found.setdefault(member, members)
    return found


@lru_cache(maxsize=1)
def _prepare() -> None:
    add_words([*DOMAIN_WORDS, *synonyms()])


def _keep(token: str) -> bool:
    return len(token) <= MAX_TERM and bool(_WORD.fullmatch(token))


def clause_terms(text: str, tags: Iterable[str] = ()) -> Counter:
    """term → occurrences in the clause (a synonym also counts for its group's canonical word)."""
    _prepare()
    table = synonyms()
    counts: Counter = Counter()
    for token in segments(text, for_search=True):
        if not _keep(token):
            continue
        counts[token] += 1
        group = table.get(token)
        if group and group[0] != token:
            counts[group[0]] += 1
    for tag in tags:
        counts[TAG_PREFIX + tag] += 1
    return counts


def query_groups(query: str) -> list[tuple[str, ...]]:
    """The query's words, each with the terms that satisfy it (itself, and its group's canonical word)."""
    _prepare()
    table = synonyms()
    groups: list[tuple[str, ...]] = []
    for token in segments(query):
        if not _keep(token):
            continue
        group = table.get(token)
        alternatives = (token, group[0]) if group and group[0] != token else (token,)
        if alternatives not in groups:
            groups.append(alternatives)
    return groups


def marked_words(groups: list[tuple[str, ...]]) -> list[str]:
    """Every spelling to mark in a hit clause: the query's words and all members of their synonym groups."""
    table = synonyms()
    words: set[str] = set()
    for alternatives in groups:
        for term in alternatives:
            words.add(term)
            words.update(table.get(term, ()))
    return sorted(words, key=len, reverse=True)
