"""The data version: a token in metric_data_version that changes with every committed write the figures read.

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
PENDING = "metrics_data_changed"  # session.info key: this transaction wrote something watched
COMMITTING = "metrics_token_written"  # session.info key: the commit has written the token already
ROW_ID = 1


def current_token(session) -> str | None:
    """The committed data's token ("" before the first write made one); None while this session has writes
    it has not committed."""
    token = session.execute(select(DataVersion.token).where(DataVersion.id == ROW_ID)).scalar()  # autoflushes
    return None if session.info.get(PENDING) else (token or "")


def mark_changed(session) -> None:
    """Record that this transaction wrote what the figures read (for writes the listeners cannot see)."""
    session.info[PENDING] = True


def _new_token(session) -> None:
    connection = session.connection()
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[connection.dialect.name]
    token = secrets.token_hex(16)
    stmt = insert(DataVersion).values(id=ROW_ID, token=token)
    connection.execute(stmt.on_conflict_do_update(index_elements=[DataVersion.id], set_={"token": token}))


def _touches_figures(session, obj) -> bool:
    if isinstance(obj, User):
        if obj in session.new or obj in session.deleted:
            return True
        state = inspect(obj)
        return any(state.attrs[name].history.has_changes() for name in USER_FIELDS)
    return getattr(obj, "__tablename__", None) in WATCHED


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context) -> None:
    if session.info.get(PENDING) and not session.info.get(COMMITTING):
        return  # already marked; the commit writes the token
    if any(_touches_figures(session, obj) for obj in (*session.new, *session.dirty, *session.deleted)):
        mark_changed(session)
        if session.info.get(COMMITTING):  # a flush of the commit after ours (another hook added rows)
            _new_token(session)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(getattr(state.statement, "table", None), "name", None)
        if table in WATCHED or table == User.__tablename__:
            mark_changed(state.session)


@event.listens_for(Session, "before_commit")
def _before_commit(session) -> None:
    if not flush_for_commit(session):  # a savepoint: the enclosing commit writes the token
        return
    if session.info.get(PENDING):
        _new_token(session)
    session.info[COMMITTING] = True


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session, transaction) -> None:
    if transaction.parent is None:  # committed (token written) or rolled back (nothing to announce)
        session.info.pop(PENDING, None)
        session.info.pop(COMMITTING, None)
