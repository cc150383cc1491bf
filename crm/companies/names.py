"""Pure helpers for company identity: name normalisation, pinyin keys and the credit-code check."""
import functools
import os
import re
import unicodedata

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from crm.companies import pinyin_table

# Longest first, so 集团有限公司 goes before 有限公司; stripped repeatedly (…集团有限公司 → … ).
SUFFIXES = ("集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司")
_BRACKETS = re.compile(r"[()\[\]{}【】〔〕<>《》]")
_SPACES = re.compile(r"\s+")
_CODE_LIKE = re.compile(r"^[0-9A-Za-z]{18}$")


def basic_norm(text: str) -> str:
    """Full/half width folded, brackets and spaces dropped, lower case; suffixes kept."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _BRACKETS.sub("", text)
    return _SPACES.sub("", text).lower()


def normalise_name(name: str) -> str:
    """The comparison key of a company name: 青海测试锂业股份有限公司 and 青海测试锂业有限公司 agree."""
    norm = basic_norm(name)
    stripped = True
    while stripped:
        stripped = False
        for suffix in SUFFIXES:
            if norm.endswith(suffix) and len(norm) > len(suffix):
                norm = norm[: -len(suffix)]
                stripped = True
                break
    return norm


@functools.cache
def _pinyin():
    """pypinyin with our phrase table (pinyin_table.py) instead of its own: 11 MB per worker instead of 56.
    The two variables are read when pypinyin is first imported, so it is imported here and nowhere else."""
    os.environ["PYPINYIN_NO_PHRASES"] = "1"
    os.environ["PYPINYIN_NO_DICT_COPY"] = "1"
    import pypinyin

    pypinyin.load_phrases_dict(pinyin_table.load())
    return pypinyin


def _pinyin_parts(name: str) -> list[str]:
    pypinyin = _pinyin()
    parts = pypinyin.lazy_pinyin(basic_norm(name), style=pypinyin.Style.NORMAL, errors=lambda chars: list(chars))
    return [re.sub(r"[^0-9a-z]", "", p.lower()) for p in parts]


def pinyin_keys(name: str) -> tuple[str, str]:
    """(pinyin_full, pinyin_initials) from one reading of the name."""
    parts = _pinyin_parts(name)
    return "".join(parts), "".join(p[:1] for p in parts)


def search_words(name: str, aliases=()) -> str:
    """What a search may find a company by besides its name: "|"-separated, folded like the query.
    The full pinyin of the name without its suffixes (有限公司, 集团…), so a word inside it is found ("lanchang"
    finds 青海蓝昌物流有限公司); and each short name or alias as written, in full pinyin and in initials
    (中国石化 → 中国石化|zhongguoshihua|zgsh)."""
    words = [pinyin_keys(normalise_name(name))[0]]
    for alias in aliases or ():
        text = basic_norm(alias)
        if text:
            full, initials = pinyin_keys(text)
            words += [text, full, initials]
    words = list(dict.fromkeys(w for w in words if w))
    return "".join(f"|{w}" for w in words) + ("|" if words else "")


def pinyin_full(name: str) -> str:
    """中国石化测试分公司 → zhongguoshihuaceshifengongsi (lower case, no spaces)."""
    return pinyin_keys(name)[0]


def pinyin_initials(name: str) -> str:
    """中国石化测试分公司 → zgshcsfgs; searched with LIKE %q% so "sh" finds it too."""
    return pinyin_keys(name)[1]


def compact_code(code: str | None) -> str:
    return unicodedata.normalize("NFKC", code or "").replace(" ", "").replace("-", "").strip().upper()


def looks_like_code(text: str) -> bool:
    return bool(_CODE_LIKE.match(compact_code(text)))


def credit_code_problem(code: str) -> str | None:
    """None when the code is valid, else what is wrong: "length", "checksum" or "format"."""
    try:
        uscc.validate(compact_code(code))
    except InvalidLength:
        return "length"
    except InvalidChecksum:
        return "checksum"
    except (InvalidComponent, ValidationError):
        return "format"
    return None
