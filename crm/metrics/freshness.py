"""The data versions: tokens in metric_data_version that change with every committed write the figures read.

Row ALL changes with any of it; row FUNDS only with the funds entries and the settings that say which of
them count, so what is read from those alone (the funds arrived by month) outlives the many project writes.

A session that writes a watched table (by unit of work or by an ORM bulk statement) is marked; when it
commits, a new random token is written as the transaction's last statement, so it becomes visible
exactly when the data does, in every worker process at once. Readers (crm.metrics.cache) read the token
before the data, so a copy kept under a token is never older than that token's data.

Why random and written at commit: a rolled-back transaction leaves the old token in place and no later
transaction can write the token it would have had; bumping at commit (not at each flush) holds the
row's lock only for the commit itself, so concurrent writers never deadlock on it. A session with
marked writes it has not committed yet gets no token: its reads see its own uncommitted rows, which
must not be cached under a token other sessions share.
"""
import secrets

from sqlalchemy import event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from crm.auth.models import User
from crm.core.db import flush_for_commit
from crm.core.settings import Setting
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
PENDING = "metrics_data_changed"  # session.info key: the rows whose data this transaction wrote
COMMITTING = "metrics_token_written"  # session.info key: the commit has written the tokens already
ALL, FUNDS = 1, 2  # rows of metric_data_version


def current_token(session, row: int = ALL) -> str | None:
    """The committed data's token ("" before the first write made one); None while this session has writes
    of that data it has not committed."""
    token = session.execute(select(DataVersion.token).where(DataVersion.id == row)).scalar()  # autoflushes
    return None if row in session.info.get(PENDING, ()) else (token or "")


def mark_changed(session, rows=(ALL,)) -> None:
    """Record that this transaction wrote what the figures read (for writes the listeners cannot see)."""
    session.info.setdefault(PENDING, set()).update(rows)


def _new_tokens(session, rows) -> None:
    connection = session.connection()
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[connection.dialect.name]
    for row in sorted(rows):  # one order for every writer
        token = secrets.token_hex(16)
        stmt = insert(DataVersion).values(id=row, token=token)
        connection.execute(stmt.on_conflict_do_update(index_elements=[DataVersion.id], set_={"token": token}))


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
    pending = session.info.get(PENDING, set())
    if pending >= {ALL, FUNDS} and not session.info.get(COMMITTING):
        return  # every row marked already; the commit writes the tokens
    rows = set().union(*(_rows_touched(session, obj) for obj in (*session.new, *session.dirty, *session.deleted)))
    if fresh := rows - pending:
        mark_changed(session, fresh)
        if session.info.get(COMMITTING):  # a flush of the commit after ours (another hook added rows)
            _new_tokens(session, fresh)  # the pending rows' tokens are written already


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        rows = _rows_for_table(getattr(getattr(state.statement, "table", None), "name", None))
        if rows:
            mark_changed(state.session, rows)


@event.listens_for(Session, "before_commit")
def _before_commit(session) -> None:
    if not flush_for_commit(session):  # a savepoint: the enclosing commit writes the tokens
        return
    if session.info.get(PENDING):
        _new_tokens(session, session.info[PENDING])
    session.info[COMMITTING] = True


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session, transaction) -> None:
    if transaction.parent is None:  # committed (token written) or rolled back (nothing to announce)
        session.info.pop(PENDING, None)
        session.info.pop(COMMITTING, None)
