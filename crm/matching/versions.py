"""Version tokens of the data the matching engine caches in each worker process (table matching_versions).

A worker keeps what is costly to rebuild — the parks' term index, the signed projects used as evidence,
the companies' term postings — under the tokens it read before reading the data, and one small read per
transaction tells it whether its copies are current. A transaction that changes such data is marked (by
its flushes and its ORM bulk statements) and writes new tokens for what it changed as its last statements
before committing: other processes see a new token exactly when they see the new data.

Tokens are random, not counters, and written at commit (as crm.metrics.freshness does for the figures):
a rolled-back transaction leaves the old token in place, no later transaction can write the token it
would have had, and each token row is locked only for the commit itself, always in the same order, so
concurrent writers never deadlock on them. A transaction with uncommitted changes of a kind gets no token
for that kind: it sees its own rows, which must not be cached under a token other transactions share.
"""
import secrets

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from crm.companies.models import Company
from crm.core.db import flush_for_commit
from crm.extensions import db
from crm.matching.models import CompanyTerm, CompanyTerms, MatchingVersion
from crm.parks.models import Chain, ChainLink, Industry, Park, Region
from crm.projects.models import Project

PARKS, COMPANIES, PROJECTS = "parks", "companies", "projects"

# What each token covers: the mapped classes, and for an update the attributes that matter (None: any).
# Company names, tiers and the like are read fresh by every match, so their edits need no new token; nor
# does a company's terms row stamped with a new time only (its terms unchanged).
WATCHED: dict[type, tuple[str, frozenset[str] | None]] = {
    Park: (PARKS, None), Chain: (PARKS, None), ChainLink: (PARKS, None), Industry: (PARKS, None),
    Region: (PARKS, None),
    Company: (COMPANIES, frozenset({"industry_id", "merged_into_id"})),
    CompanyTerms: (COMPANIES, frozenset({"terms"})), CompanyTerm: (COMPANIES, None),
    Project: (PROJECTS, frozenset({"name", "stage", "park_id", "company_id"})),
}
_BY_TABLE = {cls.__table__.name: watch for cls, watch in WATCHED.items()}
PENDING = "matching_changed"  # session.info: the kinds this transaction changed and has not committed
COMMITTING = "matching_committing"  # session.info: the commit has written the tokens already
_MEMO = "matching_versions"  # session.info: (transaction, tokens read in it)


def current() -> dict[str, str | None]:
    """{kind: token}, read once per transaction; None for a kind this transaction changed (uncommitted)."""
    session = db.session()
    memo = session.info.get(_MEMO)
    if memo is None or memo[0] is not session.get_transaction():
        tokens = dict(session.execute(select(MatchingVersion.name, MatchingVersion.token)).all())  # autoflushes
        tokens = {kind: tokens.get(kind, "") for kind in (PARKS, COMPANIES, PROJECTS)}  # "": never written yet
        memo = session.info[_MEMO] = (session.get_transaction(), tokens)
    pending = session.info.get(PENDING, ())
    return {kind: None if kind in pending else token for kind, token in memo[1].items()}


def mark_changed(session: Session, kinds) -> None:
    """Record that this transaction changed these kinds of data (for writes the listeners cannot see)."""
    session.info.setdefault(PENDING, set()).update(kinds)
    if session.info.get(COMMITTING):  # a flush of the commit after the tokens were written
        _write_tokens(session, kinds)


def _write_tokens(session: Session, kinds) -> None:
    connection = session.connection()
    for kind in sorted(kinds):  # one order for every writer
        token = secrets.token_hex(16)
        dialect = connection.dialect.name
        if dialect in ("sqlite", "postgresql"):
            upsert = (sqlite_insert if dialect == "sqlite" else pg_insert)(MatchingVersion)
            connection.execute(upsert.values(name=kind, token=token).on_conflict_do_update(
                index_elements=["name"], set_={"token": token}))
        elif connection.execute(update(MatchingVersion).where(MatchingVersion.name == kind)
                                .values(token=token)).rowcount == 0:
            connection.execute(insert(MatchingVersion).values(name=kind, token=token))


def _changed(obj, attributes: frozenset[str] | None) -> bool:
    if attributes is None:
        return True
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in attributes)


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context) -> None:
    kinds = {WATCHED[type(obj)][0] for obj in (*session.new, *session.deleted) if type(obj) in WATCHED}
    for obj in session.dirty:
        watch = WATCHED.get(type(obj))
        if watch and watch[0] not in kinds and _changed(obj, watch[1]):
            kinds.add(watch[0])
    if kinds:
        mark_changed(session, kinds)


def _set_columns(state) -> set[str] | None:
    """Names of the columns a bulk UPDATE sets; None when they cannot be told."""
    values = getattr(state.statement, "_values", None)
    if not values:
        return None
    return {getattr(key, "key", key) for key in values}


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    """INSERT, UPDATE and DELETE statements sent through the session bypass the flush: watched too."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    watch = _BY_TABLE.get(getattr(getattr(state.statement, "table", None), "name", None))
    if watch is None:
        return
    kind, attributes = watch
    if state.is_update and attributes is not None:
        columns = _set_columns(state)
        if columns is not None and not columns & attributes:
            return  # e.g. the daily status colours of projects, a company's last contact date
    mark_changed(state.session, [kind])


@event.listens_for(Session, "before_commit")
def _before_commit(session) -> None:
    if not flush_for_commit(session):  # a savepoint: the enclosing commit writes the token
        return
    if session.info.get(PENDING):
        _write_tokens(session, session.info[PENDING])
    session.info[COMMITTING] = True


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session, transaction) -> None:
    if transaction.parent is None:  # committed (tokens written) or rolled back (nothing to announce)
        for key in (PENDING, COMMITTING, _MEMO):
            session.info.pop(key, None)
