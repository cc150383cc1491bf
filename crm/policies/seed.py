"""Load the policy documents of seeds/policies/ (texts split into clauses) and their clauses' structured data.

Idempotent: a document already in the library keeps its clauses (admins may have edited them); its
description, and the anchors, terms, duties and tags of seeds/policies/clauses.yaml, are brought up to date.
"""
from datetime import date

from sqlalchemy import select

from crm.core.seedfiles import SEEDS, ChangeCounter, load_yaml
from crm.extensions import db
from crm.policies import services
from crm.policies.models import PolicyAnchor, PolicyClause, PolicyDocument
from crm.policies.parsing import split_clauses

TEXTS = SEEDS / "policies" / "texts"


class SeedError(RuntimeError):
    pass


def _values(row: dict) -> services.DocumentValues:
    issued = row.get("issued_on")
    return services.DocumentValues(
        key=str(row["key"]), title=row["title"], issuer=row.get("issuer") or "", number=row.get("number") or "",
        level=row.get("level") or "province", year=row.get("year"),
        issued_on=issued if isinstance(issued, date) else None,
        regions=list(row.get("regions") or []), parks=list(row.get("parks") or []),
        industries=list(row.get("industries") or []), source=row["file"], notes=(row.get("notes") or "").strip())


def seed_documents(counter: ChangeCounter) -> None:
    existing = {d.key: d for d in db.session.scalars(select(PolicyDocument))}
    for row in load_yaml("policies/documents.yaml")["documents"]:
        values = _values(row)
        document = existing.get(values.key)
        if document is None:
            text = (TEXTS / row["file"]).read_text(encoding="utf-8")
            services.create_document(values, split_clauses(text))
            counter.created_one("policies")
            continue
        counter.assign(document, "policies", title=values.title, issuer=values.issuer, number=values.number,
                       level=values.level, year=values.year, issued_on=values.issued_on, regions=values.regions,
                       parks=values.parks, source=values.source, notes=values.notes)


def _find(document: PolicyDocument, sentence: str, heading: str = "") -> PolicyClause:
    for clause in document.clauses:
        if sentence in clause.text and heading in clause.heading:
            return clause
    raise SeedError(f"seeds/policies/clauses.yaml: no clause {heading} of {document.key} says “{sentence}”")


def _rows_by_clause(documents: dict[str, PolicyDocument]) -> dict[int, tuple[PolicyClause, list[dict]]]:
    found: dict[int, tuple[PolicyClause, list[dict]]] = {}
    for row in load_yaml("policies/clauses.yaml")["clauses"]:
        document = documents.get(str(row["document"]))
        if document is not None:
            clause = _find(document, row["find"], row.get("heading") or "")
            found.setdefault(clause.id, (clause, []))[1].append(row)
    return found


def _anchor(name: str, clause: PolicyClause, counter: ChangeCounter) -> None:
    anchor = db.session.get(PolicyAnchor, name)
    if anchor is None:
        db.session.add(PolicyAnchor(name=name, clause_id=clause.id))
        counter.created_one("policy anchors")
    else:
        counter.assign(anchor, "policy anchors", clause_id=clause.id)


def seed_clause_data(counter: ChangeCounter) -> None:
    """Several rows may name one clause (two rules citing it): their terms, duties and tags are joined."""
    documents = {d.key: d for d in db.session.scalars(select(PolicyDocument))}
    changed = []
    for clause, rows in _rows_by_clause(documents).values():
        terms = [{**t, "quote": t.get("quote") or row["find"]} for row in rows for t in row.get("terms") or []]
        duties = [duty for row in rows for duty in row.get("duties") or []]
        tags = list(clause.tags or [])
        tags += [t for row in rows for t in row.get("tags") or [] if t not in tags]
        tags = list(dict.fromkeys(tags))
        before = (clause.terms, clause.duties, clause.tags)
        counter.assign(clause, "policy clauses", terms=terms, duties=duties, tags=tags)
        if before != (clause.terms, clause.duties, clause.tags):
            changed.append(clause)
        for row in rows:
            _anchor(row["anchor"], clause, counter)
    db.session.flush()
    services.reindex(changed)  # the tags are indexed terms


def seed_all(counter: ChangeCounter) -> None:
    seed_documents(counter)
    db.session.flush()
    seed_clause_data(counter)
