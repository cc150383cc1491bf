"""Reads of the policy library: documents by filters, full-text search over clauses, a clause by its anchor."""
import html
import json
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ARRAY, Integer, Select, Text, and_, any_, bindparam, case, cast, func, literal, or_, select
from sqlalchemy.orm import selectinload

from crm.extensions import db
from crm.parks.models import Park
from crm.policies.models import PolicyAnchor, PolicyClause, PolicyClauseTerm, PolicyDocument, PolicyStatus
from crm.policies.text import TAG_PREFIX, marked_words, query_groups

SEARCH_LIMIT = 200  # hit clauses ranked per search; a page of documents shows theirs
EXCERPT = 60  # characters shown each side of a clause's first hit


@dataclass
class Filters:
    q: str = ""
    level: str = ""
    status: str = ""  # current / repealed / revised, or "expired" for every document no longer in force
    tag: str = ""
    park: str = ""  # a park code: documents for that park (or its key park), or for every park of its region
    industry: str = ""
    year_from: int | None = None
    year_to: int | None = None

    @classmethod
    def from_args(cls, args) -> "Filters":
        def year(name):
            value = (args.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) == 4 else None
        return cls(q=(args.get("q") or "").strip()[:200], level=args.get("level") or "",
                   status=args.get("status") or "", tag=args.get("tag") or "", park=args.get("park") or "",
                   industry=(args.get("industry") or "").strip()[:80], year_from=year("from"), year_to=year("to"))


@dataclass
class Hit:
    clause: PolicyClause
    score: int
    excerpt: str = ""
    marked: str = ""  # the excerpt as HTML, the query's words inside <mark>


@dataclass
class DocumentHits:
    document: PolicyDocument
    hits: list[Hit] = field(default_factory=list)


def park_places(code: str) -> tuple[set[str], set[str]] | None:
    """(the park's code and its key park's, its region codes up to the province), or None if no such park."""
    park = db.session.scalar(select(Park).where(Park.code == code).options(selectinload(Park.parent)))
    if park is None:
        return None
    codes = {park.code} | ({park.parent.code} if park.parent else set())
    regions: set[str] = set()
    region = park.region
    while region is not None:
        regions.add(region.code)
        region = region.parent
    return codes, regions


def covers(regions: list[str], parks: list[str], codes: set[str], park_regions: set[str]) -> bool:
    """A document speaks to a park when it names the park (or its key park), or names none and covers its region."""
    if parks:
        return bool(set(parks) & codes)
    return not regions or bool(set(regions) & park_regions)


def covers_park(document: PolicyDocument, codes: set[str], regions: set[str]) -> bool:
    return covers(document.regions or [], document.parks or [], codes, regions)


def _status_clause(query: Select, status: str, today: date) -> Select:
    if status == "expired":
        return query.where((PolicyDocument.status != PolicyStatus.current) | (PolicyDocument.expires_on < today))
    if status == PolicyStatus.current:
        return query.where(PolicyDocument.status == status,
                           PolicyDocument.expires_on.is_(None) | (PolicyDocument.expires_on >= today))
    return query.where(PolicyDocument.status == status) if status else query


def _holds(column, value: str):
    """The JSON list column holds this string: its stored text contains the value's JSON (same on both databases,
    the column's text being what json.dumps wrote)."""
    needle = json.dumps(value).replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return cast(column, Text).like(f"%{needle}%", escape="!")


def _empty(column):
    return cast(column, Text) == "[]"


def _park_condition(codes: set[str], regions: set[str]):
    """The SQL twin of `covers`."""
    named = or_(*[_holds(PolicyDocument.parks, c) for c in sorted(codes)])
    regional = or_(_empty(PolicyDocument.regions), *[_holds(PolicyDocument.regions, r) for r in sorted(regions)])
    return or_(named, and_(_empty(PolicyDocument.parks), regional))


def _document_ids(filters: Filters, today: date) -> Select | list[int]:
    """The ids of the documents passing the filters other than the words and the tag, newest first."""
    query = select(PolicyDocument.id).order_by(PolicyDocument.year.desc().nulls_last(), PolicyDocument.key)
    if filters.level:
        query = query.where(PolicyDocument.level == filters.level)
    if filters.year_from:
        query = query.where(PolicyDocument.year >= filters.year_from)
    if filters.year_to:
        query = query.where(PolicyDocument.year <= filters.year_to)
    if filters.park:
        places = park_places(filters.park)
        if places is None:
            return []
        query = query.where(_park_condition(*places))
    if filters.industry:
        query = query.where(or_(_empty(PolicyDocument.industries), _holds(PolicyDocument.industries, filters.industry)))
    return _status_clause(query, filters.status, today)


def _documents(ids: list[int]) -> list[PolicyDocument]:
    found = {d.id: d for d in db.session.scalars(select(PolicyDocument).where(PolicyDocument.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def matching_documents(filters: Filters, today: date) -> list[PolicyDocument]:
    """Documents that pass the filters other than the words and the tag, newest first."""
    ids = _document_ids(filters, today)
    return _documents(ids if isinstance(ids, list) else list(db.session.scalars(ids)))


def _among(column, ids: list[int]):
    """column IN ids; on PostgreSQL as one array parameter (hundreds of ids, one bind, one plan)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("document_ids", ids, type_=ARRAY(Integer)))
    return column.in_(ids)


def _ranked_clause_ids(groups: list[tuple[str, ...]], document_ids: list[int] | None) -> list[tuple[int, int]]:
    """(clause id, score) of the clauses holding every group's word (or its synonym), best first; within these
    documents when given."""
    terms = [t for g in groups for t in g]
    which = case(*[(PolicyClauseTerm.term.in_(g), literal(i)) for i, g in enumerate(groups)])
    query = (select(PolicyClauseTerm.clause_id, func.sum(PolicyClauseTerm.weight).label("score"))
             .where(PolicyClauseTerm.term.in_(terms))
             .group_by(PolicyClauseTerm.clause_id)
             .having(func.count(func.distinct(which)) == len(groups))
             .order_by(func.sum(PolicyClauseTerm.weight).desc(), PolicyClauseTerm.clause_id)
             .limit(SEARCH_LIMIT))
    if document_ids is not None:
        query = query.where(_among(PolicyClauseTerm.document_id, document_ids))
    return [(row[0], int(row[1])) for row in db.session.execute(query)]


def _windows(text: str, pattern, count: int = 2) -> list[tuple[int, int]]:
    """Up to `count` stretches of the text around hits that do not overlap: the first hit and the next beyond it."""
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(text):
        if spans and match.start() < spans[-1][1]:
            continue
        spans.append((max(0, match.start() - EXCERPT // 2), min(len(text), match.end() + EXCERPT)))
        if len(spans) == count:
            break
    return spans or [(0, min(len(text), EXCERPT * 2))]


def _marked(window: str, pattern) -> str:
    parts, last = [], 0
    for match in pattern.finditer(window):
        parts += [html.escape(window[last:match.start()]), f"<mark>{html.escape(match.group())}</mark>"]
        last = match.end()
    return "".join(parts) + html.escape(window[last:])


def excerpt(text: str, words: list[str]) -> tuple[str, str]:
    """The stretches of the text around its hits, plain and as HTML with the words marked."""
    if not words:
        window = text[:EXCERPT * 2] + ("…" if len(text) > EXCERPT * 2 else "")
        return window, html.escape(window)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    spans = _windows(text, pattern)
    pieces = [("…" if start else "") + text[start:end] for start, end in spans]
    plain = "".join(pieces) + ("…" if spans[-1][1] < len(text) else "")
    marked = "".join(("…" if start else "") + _marked(text[start:end], pattern) for start, end in spans)
    return plain, marked + ("…" if spans[-1][1] < len(text) else "")


def _narrows(filters: Filters) -> bool:
    return bool(filters.level or filters.status or filters.park or filters.industry or filters.year_from
                or filters.year_to)


class Found(list):
    """One page of results; `total` counts the results of every page."""

    total: int = 0


def _page(items: list, page: int, per_page: int | None) -> list:
    return items if per_page is None else items[(page - 1) * per_page:page * per_page]


def _listing(ids, page: int, per_page: int | None) -> Found:
    if isinstance(ids, Select):
        total = db.session.scalar(select(func.count()).select_from(ids.order_by(None).subquery()))
        if per_page is not None:
            ids = ids.limit(per_page).offset((page - 1) * per_page)
        ids = list(db.session.scalars(ids))
    else:
        total, ids = len(ids), _page(ids, page, per_page)
    found = Found(DocumentHits(d) for d in _documents(ids))
    found.total = total
    return found


def search(filters: Filters, today: date, *, page: int = 1, per_page: int | None = None) -> Found:
    """Documents passing the filters; with words (or a tag), only those with hit clauses, best hits first.
    Only the asked page's documents and clauses are read."""
    ids = _document_ids(filters, today)
    groups = query_groups(filters.q) if filters.q else []
    if filters.tag:
        groups.append((TAG_PREFIX + filters.tag,))
    if not groups:
        return _listing(ids, page, per_page)
    if _narrows(filters):
        # The ids as a list: the planner cannot estimate the JSON conditions, and with them inside the ranking
        # statement PostgreSQL walked the index once per document (0.3 s over 2,000 documents instead of 0.03)
        ids = list(db.session.scalars(ids)) if isinstance(ids, Select) else ids
        ranked = _ranked_clause_ids(groups, ids) if ids else []
    else:
        ranked = _ranked_clause_ids(groups, None)
    clause_document = dict(db.session.execute(select(PolicyClause.id, PolicyClause.document_id).where(
        PolicyClause.id.in_([cid for cid, _ in ranked]))).all()) if ranked else {}
    order = list(dict.fromkeys(clause_document[cid] for cid, _ in ranked))
    shown = _page(order, page, per_page)
    by_id = {d.id: DocumentHits(d) for d in _documents(shown)}
    wanted = [(cid, score) for cid, score in ranked if clause_document[cid] in by_id]
    clauses = {c.id: c for c in db.session.scalars(select(PolicyClause).where(
        PolicyClause.id.in_([cid for cid, _ in wanted])))} if wanted else {}
    words = marked_words([g for g in groups if not g[0].startswith(TAG_PREFIX)])
    for clause_id, score in wanted:
        clause = clauses[clause_id]
        plain, marked = excerpt(clause.text, words)
        by_id[clause.document_id].hits.append(Hit(clause, score, plain, marked))
    found = Found(by_id[i] for i in shown if i in by_id)
    found.total = len(order)
    return found


def document_by_id(document_id: int) -> PolicyDocument | None:
    return db.session.scalar(select(PolicyDocument).where(PolicyDocument.id == document_id)
                             .options(selectinload(PolicyDocument.clauses)))


def clause_by_anchor(name: str) -> PolicyClause | None:
    return db.session.scalar(select(PolicyClause).join(PolicyAnchor, PolicyAnchor.clause_id == PolicyClause.id)
                             .where(PolicyAnchor.name == name).options(selectinload(PolicyClause.document)))


def anchored_clauses() -> dict[str, PolicyClause]:
    """Every anchor → its clause (with the document), for pages that cite several."""
    rows = db.session.execute(select(PolicyAnchor.name, PolicyClause).join(
        PolicyClause, PolicyClause.id == PolicyAnchor.clause_id).options(selectinload(PolicyClause.document)))
    return {name: clause for name, clause in rows}
