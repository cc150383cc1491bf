"""The data versions of the figures: tokens in metric_data_version (crm.core.versions) that change with
every committed write the figures read.

Row ALL changes with any of it; row FUNDS only with the funds entries and the settings that say which of
them count, so what is read from those alone (the funds arrived by month) outlives the many project writes.
Readers (crm.metrics.cache) read the token before the data, so a copy kept under a token is never older
than that token's data.
"""
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from crm.auth.models import User
from crm.core.settings import Setting
from crm.core.versions import VersionTokens
from crm.events.models import Event
from crm.metrics.models import DataVersion, MetricSnapshot, ProjectFunds, Target
from crm.parks.models import Industry, Park
from crm.projects.models import FundsEntry, Problem, Project, StageChange

# What the cached figures, lists, labels and charts read. A new cached read of another table adds it here.
WATCHED = frozenset(m.__tablename__ for m in (
    Project, FundsEntry, ProjectFunds, Problem, StageChange, Target, MetricSnapshot, Park, Event, Industry,
    Setting))
# Users appear as officer labels and filter options; a sign-in (last_login_at) must not retire the caches.
USER_FIELDS = ("username", "display_name", "role", "active")
FUNDS_WATCHED = frozenset(m.__tablename__ for m in (FundsEntry, Setting))
ALL, FUNDS = 1, 2  # rows of metric_data_version
TOKENS = VersionTokens("metrics_data", DataVersion, "id", (ALL, FUNDS))


def current_token(session, row: int = ALL) -> str | None:
    """The committed data's token ("" before the first write made one); None while this session has writes
    of that data it has not committed."""
    return TOKENS.current(session)[row]


def mark_changed(session, rows=(ALL,)) -> None:
    """Record that this transaction wrote what the figures read (for writes the listeners cannot see)."""
    TOKENS.mark_changed(session, rows)


def _rows_for_table(table: str | None) -> set[int]:
    if table in FUNDS_WATCHED:
        return {ALL, FUNDS}
    return {ALL} if table in WATCHED or table == User.__tablename__ else set()


def _rows_touched(session, obj) -> set[int]:
    if isinstance(obj, User):
        if obj in session.new or obj in session.deleted:
            return {ALL}
        state = inspect(obj)
        return {ALL} if any(state.attrs[name].history.has_changes() for name in USER_FIELDS) else set()
    return _rows_for_table(getattr(obj, "__tablename__", None))


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context) -> None:
    if TOKENS.pending(session) >= {ALL, FUNDS}:
        return  # every row marked already
    rows = set().union(*(_rows_touched(session, obj) for obj in (*session.new, *session.dirty, *session.deleted)))
    if rows:
        mark_changed(session, rows)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        rows = _rows_for_table(getattr(getattr(state.statement, "table", None), "name", None))
        if rows:
            mark_changed(state.session, rows)
