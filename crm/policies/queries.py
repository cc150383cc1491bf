"""Reads of the policy library: documents by filters, full-text search over clauses, a clause by its anchor."""
import html
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, case, func, literal, select
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


def covers_park(document: PolicyDocument, codes: set[str], regions: set[str]) -> bool:
    """A document speaks to a park when it names the park (or its key park), or names none and covers its region."""
    if document.parks:
        return bool(set(document.parks) & codes)
    return not document.regions or bool(set(document.regions) & regions)


def _status_clause(query: Select, status: str, today: date) -> Select:
    if status == "expired":
        return query.where((PolicyDocument.status != PolicyStatus.current) | (PolicyDocument.expires_on < today))
    if status == PolicyStatus.current:
        return query.where(PolicyDocument.status == status,
                           PolicyDocument.expires_on.is_(None) | (PolicyDocument.expires_on >= today))
    return query.where(PolicyDocument.status == status) if status else query


def matching_documents(filters: Filters, today: date) -> list[PolicyDocument]:
    """Documents that pass the filters other than the words and the tag, newest first."""
    query = select(PolicyDocument).order_by(PolicyDocument.year.desc(), PolicyDocument.key)
    if filters.level:
        query = query.where(PolicyDocument.level == filters.level)
    if filters.year_from:
        query = query.where(PolicyDocument.year >= filters.year_from)
    if filters.year_to:
        query = query.where(PolicyDocument.year <= filters.year_to)
    documents = db.session.scalars(_status_clause(query, filters.status, today)).all()
    if filters.park:
        places = park_places(filters.park)
        documents = [d for d in documents if places and covers_park(d, *places)]
    if filters.industry:
        documents = [d for d in documents if not d.industries or filters.industry in d.industries]
    return documents


def _ranked_clause_ids(groups: list[tuple[str, ...]], document_ids: list[int]) -> list[tuple[int, int]]:
    """(clause id, score) of the clauses holding every group's word (or its synonym), best first."""
    terms = [t for g in groups for t in g]
    which = case(*[(PolicyClauseTerm.term.in_(g), literal(i)) for i, g in enumerate(groups)])
    query = (select(PolicyClauseTerm.clause_id, func.sum(PolicyClauseTerm.weight).label("score"))
             .where(PolicyClauseTerm.term.in_(terms))
             .group_by(PolicyClauseTerm.clause_id)
             .having(func.count(func.distinct(which)) == len(groups))
             .order_by(func.sum(PolicyClauseTerm.weight).desc(), PolicyClauseTerm.clause_id)
             .limit(SEARCH_LIMIT))
    if document_ids is not None:
        query = query.where(PolicyClauseTerm.document_id.in_(document_ids))
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


def search(filters: Filters, today: date) -> list[DocumentHits]:
    """Documents passing the filters; with words (or a tag), only those with hit clauses, best hits first."""
    documents = matching_documents(filters, today)
    groups = query_groups(filters.q) if filters.q else []
    if filters.tag:
        groups.append((TAG_PREFIX + filters.tag,))
    if not groups:
        return [DocumentHits(d) for d in documents]
    by_id = {d.id: DocumentHits(d) for d in documents}
    ranked = _ranked_clause_ids(groups, list(by_id)) if by_id else []
    clauses = {c.id: c for c in db.session.scalars(select(PolicyClause).where(
        PolicyClause.id.in_([cid for cid, _ in ranked])))} if ranked else {}
    words = marked_words([g for g in groups if not g[0].startswith(TAG_PREFIX)])
    order: list[int] = []
    for clause_id, score in ranked:
        clause = clauses[clause_id]
        plain, marked = excerpt(clause.text, words)
        by_id[clause.document_id].hits.append(Hit(clause, score, plain, marked))
        if clause.document_id not in order:
            order.append(clause.document_id)
    return [by_id[i] for i in order]


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
