"""Writes of the policy library: save a parsed document, edit documents and clauses (audited), keep the index."""
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select

from crm.core import audit
from crm.core.errors import ServiceError
from crm.core.seedfiles import load_yaml
from crm.extensions import db
from crm.policies.models import TAGS, PolicyClause, PolicyClauseTerm, PolicyDocument, PolicyLevel, PolicyStatus
from crm.policies.parsing import ParsedClause
from crm.policies.text import clause_terms

DOCUMENT_FIELDS = ["key", "title", "issuer", "number", "level", "year", "issued_on", "effective_on", "expires_on",
                   "status", "replaced_by_id", "regions", "parks", "industries", "source", "notes"]
CLAUSE_FIELDS = ["heading", "text", "tags", "terms", "duties"]


@dataclass
class DocumentValues:
    key: str
    title: str
    issuer: str = ""
    number: str = ""
    level: str = PolicyLevel.province
    year: int | None = None
    issued_on: date | None = None
    effective_on: date | None = None
    expires_on: date | None = None
    status: str = PolicyStatus.current
    replaced_by_id: int | None = None
    regions: list[str] = field(default_factory=list)
    parks: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    source: str = ""
    notes: str = ""


@lru_cache(maxsize=1)
def _tag_words() -> dict[str, tuple[str, ...]]:
    return {tag: tuple(words) for tag, words in load_yaml("policies/tags.yaml")["tags"].items()}


def guess_tags(text: str) -> list[str]:
    """The tags whose words the clause uses, in the order of TAGS."""
    words = _tag_words()
    return [tag for tag in TAGS if any(w in text for w in words.get(tag, ()))]


def _index_rows(clause: PolicyClause) -> list[dict]:
    counts = clause_terms(f"{clause.heading} {clause.text}", clause.tags or [])
    return [{"term": term, "clause_id": clause.id, "document_id": clause.document_id, "weight": n}
            for term, n in counts.items()]


def reindex(clauses: Iterable[PolicyClause]) -> int:
    """Rewrite the search rows of these (flushed) clauses; returns how many rows were written."""
    clauses = list(clauses)
    if not clauses:
        return 0
    db.session.execute(delete(PolicyClauseTerm).where(PolicyClauseTerm.clause_id.in_([c.id for c in clauses])))
    rows = [row for clause in clauses for row in _index_rows(clause)]
    if rows:
        db.session.execute(insert(PolicyClauseTerm), rows)
    return len(rows)


def _check(values: DocumentValues, document: PolicyDocument | None = None) -> None:
    if not values.key.strip() or not values.title.strip():
        missing = "key" if not values.key.strip() else "title"
        raise ServiceError(_("文件简称和标题必填。"), {missing: _("必填")}, status=422)
    if values.level not in set(PolicyLevel):
        raise ServiceError(_("层级无效。"), {"level": " / ".join(PolicyLevel)}, status=422)
    if values.status not in set(PolicyStatus):
        raise ServiceError(_("状态无效。"), {"status": " / ".join(PolicyStatus)}, status=422)
    clash = db.session.scalar(select(PolicyDocument.id).where(PolicyDocument.key == values.key.strip()))
    if clash is not None and (document is None or clash != document.id):
        raise ServiceError(_("已有同一简称的文件。"), {"key": _("已存在")}, status=409)
    if values.expires_on and values.issued_on and values.expires_on < values.issued_on:
        raise ServiceError(_("失效日期早于发文日期。"), {"expires_on": _("早于发文日期")}, status=422)


def create_document(values: DocumentValues, parsed: list[ParsedClause], *, actor=None) -> PolicyDocument:
    """A new document with its clauses in order, tags guessed where the parser gave none; flushed and indexed."""
    _check(values)
    document = PolicyDocument(**{k: getattr(values, k) for k in DOCUMENT_FIELDS})
    document.key, document.title = values.key.strip(), values.title.strip()
    for clause in parsed:
        document.clauses.append(PolicyClause(
            position=clause.position, depth=clause.depth, number=clause.number, path=clause.path,
            heading=clause.heading[:200], text=clause.text, tags=clause.tags or guess_tags(clause.text),
            terms=[], duties=[]))
    db.session.add(document)
    db.session.flush()
    reindex(document.clauses)
    audit.record("policy.create", document, actor=actor, summary=f"{document.key} {document.title}",
                 changes={"clauses": len(parsed)})
    return document


def update_document(document: PolicyDocument, values: DocumentValues, *, actor=None) -> dict:
    """Change a document's description; returns the changes (also written to the audit trail)."""
    _check(values, document)
    before = audit.snapshot(document, DOCUMENT_FIELDS)
    for name in DOCUMENT_FIELDS:
        setattr(document, name, getattr(values, name))
    db.session.flush()
    changes = audit.diff(document, DOCUMENT_FIELDS, before)
    if changes:
        audit.record("policy.update", document, actor=actor, summary=document.key, changes=changes)
    return changes


def update_clause(clause: PolicyClause, *, actor=None, **values) -> dict:
    """Change a clause's heading, text, tags, terms or duties; reindexed; the change is audited."""
    unknown_tags = [t for t in values.get("tags") or [] if t not in TAGS]
    if unknown_tags:
        raise ServiceError(_("标签无效。"), {"tags": "、".join(unknown_tags)}, status=422)
    before = audit.snapshot(clause, CLAUSE_FIELDS)
    for name in CLAUSE_FIELDS:
        if name in values and values[name] is not None:
            setattr(clause, name, values[name])
    db.session.flush()
    changes = audit.diff(clause, CLAUSE_FIELDS, before)
    if changes:
        reindex([clause])
        audit.record("policy.clause_update", clause, actor=actor, summary=clause.citation, changes=changes)
    return changes
