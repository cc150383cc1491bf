"""Company search: the condition a match must meet, and the few candidates worth testing it on.

The search matches `LIKE '%q%'` against the name, the normalised and former names, the pinyin initials and the
search words (the name's full pinyin, the short names and aliases with their pinyin),
which no ordinary index serves: tested on every company it reads 100,000 rows per keystroke. The companies
holding the rarest grams of q in the search index (search_index.py) include every match, so the condition
is tested on those few rows only.
"""
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, false, func, literal, or_, select, union, union_all
from sqlalchemy.orm import aliased

from crm.companies.models import Company, CompanySearchGram
from crm.companies.names import basic_norm, compact_code, looks_like_code, normalise_name
from crm.companies.search_index import fold, letters_or_digits, needle_grams

PROBE_CAP = 1000  # postings counted per gram to find the rarest; beyond this a gram is simply "common"
PROBED_GRAMS = 16  # a long query is bounded by a few of its grams as well as by all of them
INTERSECT = 3  # a candidate holds its needle's three rarest grams; the condition checks the rest
DENSE = 10_000  # a needle whose rarest gram so many (and a tenth of all) companies hold gains nothing from candidates


def search_condition(q: str):
    """What a match is: a fragment of the name, of the normalised or a former name, of the pinyin initials,
    of a short name or alias (as written, in full pinyin or initials) or of the name's full pinyin, a prefix
    of the full pinyin, or the exact credit code."""
    norm, plain = normalise_name(q), basic_norm(q)
    conditions = [Company.name.contains(q, autoescape=True)]
    if plain:
        conditions.append(Company.search_words.contains(plain, autoescape=True))
    if norm:
        conditions += [Company.name_norm.contains(norm, autoescape=True),
                       Company.former_norms.contains(norm, autoescape=True)]
    if looks_like_code(q):
        conditions.append(Company.credit_code == compact_code(q))
    if letters_or_digits(plain):
        conditions += [_pinyin_prefix(plain), Company.pinyin_initials.contains(plain, autoescape=True)]
    return or_(*conditions)


def _pinyin_prefix(plain: str):
    # a range, not LIKE 'x%': SQLite's LIKE is case-blind and skips the index
    return (Company.pinyin_full >= plain) & (Company.pinyin_full < plain + "\U0010ffff")


def _needles(q: str) -> set[str]:
    """The strings search_condition looks for inside a text (LIKE '%…%'), folded like the indexed texts."""
    norm, plain = normalise_name(q), basic_norm(q)
    return {fold(text) for text in (q, norm, plain) if text}


@dataclass(frozen=True)
class Candidates:
    """ids: a statement for the ids ("id") of live companies that include every match; exact: that are the
    matches. held: the part of ids read from the search index, still to be tested; sure: a condition that
    finds, through its own index, companies that match for certain (a prefix of the full pinyin, the credit
    code): with no other filter, matching_ids leaves them untested."""

    ids: Select
    exact: bool = False
    held: Select | None = None
    sure: ColumnElement | None = None


def candidates(session, q: str) -> Candidates | None:
    """The companies search_condition(q) is worth testing on, read from indexes alone; None when a needle is
    a single character (it has no gram) or in most names: then testing every company will do."""
    needles = _needles(q)
    if not needles or any(len(n) < 2 for n in needles):
        return None
    wanted = [sorted(needle_grams(n))[:PROBED_GRAMS] for n in needles]
    counts = _posting_counts(session, set().union(*wanted))
    held = []
    for of_needle in wanted:
        rarest = sorted(of_needle, key=lambda g: (counts[g], g))[:INTERSECT]
        if counts[rarest[0]] >= DENSE and counts[rarest[0]] * 10 >= _company_bound(session):
            return None  # in a tenth of the names or more: testing every company soon finds a page
        if counts[rarest[0]]:  # else nobody holds that gram: the needle matches nothing
            held.append(_holding_all(rarest))
    sure = []
    plain = basic_norm(q)
    if letters_or_digits(plain):
        sure.append(_pinyin_prefix(plain))
    if looks_like_code(q):
        sure.append(Company.credit_code == compact_code(q))
    parts = held + [select(Company.id).where(Company.merged_into_id.is_(None), condition) for condition in sure]
    if not parts:
        return Candidates(select(Company.id).where(false()), exact=True)
    return Candidates(parts[0] if len(parts) == 1 else union(*parts), exact=_is_one_gram(q, needles),
                      held=(held[0] if len(held) == 1 else union(*held)) if held else None,
                      sure=or_(*sure) if sure else None)


def matching_ids(q: str, found: Candidates) -> Select:
    """The ids of the live companies matching q, for a search with no other filter: exact candidates as they
    are; else the held candidates tested and the sure ones as they are. Testing them all would read the row
    of each of, say, the 2,600 companies whose full pinyin starts with "heb" (河北…), which match by that
    alone."""
    if found.exact:
        return found.ids
    live = Company.merged_into_id.is_(None)
    parts = [select(Company.id).where(live, found.sure)] if found.sure is not None else []
    if found.held is not None:
        parts.append(select(Company.id).where(live, Company.id.in_(found.held), search_condition(q)))
    return parts[0] if len(parts) == 1 else union(*parts)


def company_bound() -> Select:
    """An upper bound of the number of companies, from the primary key's end (ids grow). "Common" is relative
    to it, so a gram held by 10,000 of 1,000,000 companies still narrows a search; the list reads it too."""
    return select(func.max(Company.id))


def _company_bound(session) -> int:
    return session.scalar(company_bound()) or 0


def _is_one_gram(q: str, needles: set[str]) -> bool:
    """Whether the companies holding q's one gram are exactly those whose texts contain q. So they are for two
    characters, none ASCII, that every text is searched for as they are (no normalising, no case, no pinyin);
    and for two or three letters or digits, searched in lower case everywhere: a name holding them in any case
    has them in its lower-case name_norm too, so PostgreSQL's case-sensitive LIKE on the name adds nothing."""
    if len(needles) != 1:
        return False
    (needle,) = needles
    if letters_or_digits(needle):
        return len(needle) in (2, 3)
    return needle == q and len(q) == 2 and not any(c.isascii() for c in q)


def _posting_counts(session, wanted: set[str]) -> dict[str, int]:
    """How many companies hold each gram: counted up to PROBE_CAP in one statement; a gram past the cap is
    counted in full once per process, so that of two common grams the rarer leads."""
    probes = [_capped_count(g) for g in sorted(wanted - _COMMON.keys())]
    counts = dict(session.execute(union_all(*probes) if len(probes) > 1 else probes[0]).all()) if probes else {}
    common = [g for g, n in counts.items() if n >= PROBE_CAP]
    if common:
        _COMMON.update(session.execute(select(CompanySearchGram.gram, func.count())
                                       .where(CompanySearchGram.gram.in_(common))
                                       .group_by(CompanySearchGram.gram)).all())
    return {**counts, **{g: _COMMON[g] for g in wanted if g in _COMMON}}


# Full posting counts of common grams, per process. They only choose which postings a search reads first:
# an outdated count can make a search slower, never change what it finds.
_COMMON: dict[str, int] = {}


def warm_up(session) -> None:
    """Count every common gram at once when a worker starts: one pass over the gram index (0.1–0.3 s at
    100,000 companies) instead of a count of up to 100,000 postings for each common gram of the worker's
    first searches, which made them wait up to 100 ms (a company's full name holds several)."""
    count = func.count()
    _COMMON.update(session.execute(select(CompanySearchGram.gram, count).group_by(CompanySearchGram.gram)
                                   .having(count >= PROBE_CAP)).all())


def _capped_count(gram: str) -> Select:
    postings = select(CompanySearchGram.company_id).where(CompanySearchGram.gram == gram).limit(PROBE_CAP)
    return select(literal(gram).label("gram"), select(func.count()).select_from(postings.subquery())
                  .scalar_subquery().label("n"))


def _holding_all(rarest: list[str]) -> Select:
    """Companies holding every gram given, read from the first (rarest) gram's postings."""
    first = aliased(CompanySearchGram)
    query = select(first.company_id.label("id")).where(first.gram == rarest[0])
    for gram in rarest[1:]:
        other = aliased(CompanySearchGram)
        query = query.where(exists().where(other.gram == gram, other.company_id == first.company_id))
    return query
