"""Policy documents and clauses as the API's JSON (dates ISO, labels beside codes)."""
from datetime import date

from crm.policies.models import LEVEL_LABELS, STATUS_LABELS, PolicyClause, PolicyDocument
from crm.policies.queries import DocumentHits, Hit


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def document_json(document: PolicyDocument, today: date) -> dict:
    return {
        "id": document.id, "key": document.key, "title": document.title, "issuer": document.issuer,
        "number": document.number, "level": document.level, "level_label": str(LEVEL_LABELS.get(document.level, "")),
        "year": document.year, "issued_on": _iso(document.issued_on), "effective_on": _iso(document.effective_on),
        "expires_on": _iso(document.expires_on), "status": document.status,
        "status_label": str(STATUS_LABELS.get(document.status, "")), "expired": document.expired(today),
        "replaced_by_id": document.replaced_by_id, "regions": document.regions, "parks": document.parks,
        "industries": document.industries, "source": document.source, "notes": document.notes,
        "version": document.version,
    }


def clause_json(clause: PolicyClause, today: date) -> dict:
    return {"id": clause.id, "document_id": clause.document_id, "position": clause.position, "depth": clause.depth,
            "number": clause.number, "path": clause.path, "heading": clause.heading, "text": clause.text,
            "tags": clause.tags, "terms": clause.terms, "duties": clause.duties, "citation": clause.citation,
            "expired": clause.document.expired(today), "url": f"/policies/{clause.document_id}#clause-{clause.id}"}


def hit_json(hit: Hit, today: date) -> dict:
    return {**clause_json(hit.clause, today), "score": hit.score, "excerpt": hit.excerpt, "marked": hit.marked}


def result_json(result: DocumentHits, today: date) -> dict:
    found = document_json(result.document, today)
    if result.hits:
        found["hits"] = [hit_json(h, today) for h in result.hits[:5]]
        found["hit_count"] = len(result.hits)
    return found


def applicable_json(item, today: date) -> dict:
    """One checked term of a clause for a project: the condition, the project's figure, met, and the clause."""
    outcome = item.outcome
    return {"clause": clause_json(item.clause, today), "metric": outcome.metric, "condition": outcome.condition,
            "actual": outcome.actual, "met": outcome.met, "effect": outcome.effect, "sentence": item.sentence,
            "expired": item.expired, "applies": item.applies}
