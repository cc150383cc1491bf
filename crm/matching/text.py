"""Chinese text to matching terms: jieba segmentation, a domain dictionary, stop words, synonyms.

Pure (no Flask, no database): the dictionary words and synonym groups are passed in as data.
One jieba tokenizer is shared by the process because loading its dictionary takes most of a second.
"""
import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)

# Words that say nothing about what a company makes or what a park wants.
STOP_WORDS = frozenset([
    "公司", "有限", "有限公司", "有限责任公司", "股份", "股份有限公司", "集团", "企业", "我们", "本公司",
    "主营", "主要", "从事", "经营", "业务", "产品", "系列", "相关", "及其", "以及",
    "等等", "生产", "制造", "销售", "研发", "研究", "开发", "加工", "精深", "精深加工",
    "深加工", "服务", "建设", "发展", "项目", "产业", "产业链", "基地", "园区", "工业园区",
    "工业", "重要", "我国", "国内", "全国", "西部", "西部地区", "我省", "省内", "青海",
    "青海省", "西宁", "海东", "海西", "形成", "建成", "打造", "推进", "加快", "实施",
    "提升", "重点", "特色", "一体化", "循环经济", "集群", "规模", "能力", "材料", "制品",
    "设备", "系统", "配套", "原料", "技术", "领域", "行业", "市场", "客户", "提供",
    "用于", "应用", "专业", "专注", "致力于", "致力", "优质", "高端", "新型", "一批",
    "年产", "万吨", "吨", "亿元", "万元", "中国",
    # words of every kind of project: they say nothing about which park fits
    "中心", "绿色", "综合", "利用", "资源", "天然", "生产线", "智能", "基础", "设施", "基础设施", "总投资",
    "一期", "二期", "三期", "扩能", "技改", "新建", "投产", "开工", "建成", "签约", "落地", "进驻",
    "产业园", "工程", "续建", "引进", "大型", "示范", "创新", "基地", "零碳", "集群", "海西州", "西宁市", "海东市",
])

# Single characters that do name a material (most single characters are noise).
SINGLE_CHAR_TERMS = frozenset("铝钛镁铜锂硅金银锌铅镍铬铁钢钾硼碱盐酒茶毯绒煤油气药玉氟")

_WORD = re.compile(r"[A-Za-z0-9]+|[\u4e00-\u9fff]+")
_lock = threading.Lock()
_added: set[str] = set()


# jieba's dictionary words seen fewer times than this are left out: 137,000 of its 349,000 words stay, and
# the tokenizer takes 25 MB of each worker instead of 62. The evaluation set matches as with every word
# (tests/matching/test_evaluation.py); the domain's own words are added to the tokenizer anyway.
MIN_FREQUENCY = 5


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer(str(_dictionary()))
    tokenizer.initialize()
    return tokenizer


def _dictionary() -> Path:
    """jieba's dictionary without its rarest words, written once per machine (and jieba version) into the
    temporary directory, where jieba keeps its own cache of the parsed dictionary too."""
    target = Path(tempfile.gettempdir()) / f"crm-jieba-{jieba.__version__}-min{MIN_FREQUENCY}.txt"
    if not target.exists():
        scratch = target.with_suffix(f".{os.getpid()}.tmp")
        with (resources.files(jieba) / "dict.txt").open(encoding="utf-8") as source, \
                scratch.open("w", encoding="utf-8") as kept:
            for line in source:  # "word frequency part-of-speech"
                if int(line.split(" ", 2)[1]) >= MIN_FREQUENCY:
                    kept.write(line)
        os.replace(scratch, target)  # workers starting together each write whole files; one wins
    return target


def warm_up() -> None:
    """Load jieba's dictionary now (about a second), e.g. when a worker process starts, rather than on the
    first request that needs it. The database's domain words come with crm.matching.index.warm_up()."""
    _tokenizer()


def normalise(text: str) -> str:
    """Full-width letters to half-width (ＰＶＣ → PVC) and Latin letters to upper case."""
    return unicodedata.normalize("NFKC", text or "").upper()


def add_words(words: Iterable[str]) -> None:
    """Teach the tokenizer the domain's words (link keywords, link names, industries); idempotent."""
    new = {normalise(w).strip() for w in words} - _added
    if not new:
        return
    with _lock:
        tokenizer = _tokenizer()
        for word in new:
            if word and " " not in word:
                tokenizer.add_word(word)
        _added.update(new)


def _keep(token: str) -> bool:
    if token in STOP_WORDS or not _WORD.fullmatch(token):
        return False
    if token.isdigit():
        return False
    return len(token) > 1 or token in SINGLE_CHAR_TERMS


class Analyzer:
    """Turns text into terms; each term in a synonym group also yields the group's canonical word."""

    def __init__(self, synonym_groups: Iterable[Iterable[str]] = (), words: Iterable[str] = ()):
        self.canonical: dict[str, str] = {}
        for group in synonym_groups:
            members = [normalise(str(w)).strip() for w in group if str(w).strip()]
            for member in members:
                self.canonical.setdefault(member, members[0])
        add_words([*words, *self.canonical])

    def tokens(self, text: str) -> list[str]:
        text = normalise(text)
        found: list[str] = []
        for token in _tokenizer().cut_for_search(text):
            token = token.strip()
            if not token:
                continue
            found.append(token)
            parts = _WORD.findall(token)
            if len(parts) > 1:  # "PVC管材" also yields "PVC" and "管材"
                found.extend(parts)
        return [t for t in found if _keep(t)]

    def terms(self, text: str) -> list[str]:
        """Tokens plus the canonical word of each token's synonym group (once per token)."""
        result: list[str] = []
        for token in self.tokens(text):
            result.append(token)
            canonical = self.canonical.get(token)
            if canonical and canonical != token:
                result.append(canonical)
        return result

    def phrase_terms(self, phrase: str) -> list[str]:
        """A dictionary phrase (a link keyword) as itself plus its parts, so partial mentions match."""
        phrase = normalise(phrase).strip()
        terms = self.terms(phrase)
        if phrase and _keep(phrase) and phrase not in terms:
            terms.append(phrase)
            if phrase in self.canonical and self.canonical[phrase] != phrase:
                terms.append(self.canonical[phrase])
        return terms


def segments(text: str, *, for_search: bool = False) -> list[str]:
    """The shared tokenizer's words of the normalised text, unfiltered (other domains apply their own filter)."""
    tokenizer = _tokenizer()
    cut = tokenizer.cut_for_search if for_search else tokenizer.cut
    return [t.strip() for t in cut(normalise(text)) if t.strip()]
