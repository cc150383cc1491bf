"""Version tokens of the data the matching engine caches in each worker process (table matching_versions,
kept by crm.core.versions): the parks' term index, the signed projects used as evidence, the companies'
term postings. A transaction that changes such data is marked by its flushes and its ORM bulk statements.
"""
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from crm.companies.models import Company
from crm.core.versions import VersionTokens
from crm.extensions import db
from crm.matching.models import CompanyTerm, CompanyTerms, MatchingVersion
from crm.parks.models import Chain, ChainLink, Industry, Park, ParkPicture, Region
from crm.projects.models import Project

PARKS, COMPANIES, PROJECTS = "parks", "companies", "projects"

# What each token covers: the mapped classes, and for an update the attributes that matter (None: any).
# Company names, tiers and the like are read fresh by every match, so their edits need no new token; nor
# does a company's terms row stamped with a new time only (its terms unchanged).
WATCHED: dict[type, tuple[str, frozenset[str] | None]] = {
    Park: (PARKS, None), Chain: (PARKS, None), ChainLink: (PARKS, None), Industry: (PARKS, None),
    Region: (PARKS, None), ParkPicture: (PARKS, None),
    Company: (COMPANIES, frozenset({"industry_id", "merged_into_id", "industry_text", "gbt_code"})),
    CompanyTerms: (COMPANIES, frozenset({"terms"})), CompanyTerm: (COMPANIES, None),
    Project: (PROJECTS, frozenset({"name", "stage", "park_id", "company_id", "content", "gbt_code", "signed_date",
                                   "started_date", "producing_date"})),
}
_BY_TABLE = {cls.__table__.name: watch for cls, watch in WATCHED.items()}
TOKENS = VersionTokens("matching", MatchingVersion, "name", (PARKS, COMPANIES, PROJECTS))


def current() -> dict[str, str | None]:
    """{kind: token}, read once per transaction; None for a kind this transaction changed (uncommitted)."""
    return TOKENS.current(db.session())


def mark_changed(session: Session, kinds) -> None:
    """Record that this transaction changed these kinds of data (for writes the listeners cannot see)."""
    TOKENS.mark_changed(session, kinds)


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
