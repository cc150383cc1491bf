"""Declarative base, naming convention, column types for money and UTC times, and SQLite pragmas."""
import time
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import JSON, DateTime, MetaData, Numeric, event, func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC (SQLite keeps no zone) and read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


# 万元 with four decimals: exact to the yuan, wide enough for a 100亿 project many times over.
Money = Numeric(18, 4, asdecimal=True)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), Decimal: Money},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL lets readers go on while one writer writes; foreign keys are off in SQLite unless asked."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 32 MB of pages per connection (SQLite's default is 2 MB): with less, a list page reading a few
        # thousand rows or index entries goes to the operating system for each page, several times slower.
        cursor.execute("PRAGMA cache_size=-32768")
        cursor.close()


def json_object_of(dialect: str, key, value):
    """The aggregate of a statement's (key, value) rows as one JSON object, read back as a dict (None on
    PostgreSQL when there are no rows). A value that is itself JSON must be given as such: func.json(column)
    on SQLite, which would otherwise store its text as a string."""
    if dialect == "postgresql":
        return func.json_object_agg(key, value, type_=JSON)
    return func.json_group_object(key, value, type_=JSON)


PING_AFTER_IDLE = 10.0  # seconds a pooled connection may rest before it is tested on checkout
_CHECKED_IN = "crm.checked_in"


@event.listens_for(Pool, "checkin")
def _note_rest(_dbapi_connection, record) -> None:
    if record is not None:
        record.info[_CHECKED_IN] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _test_after_rest(dbapi_connection, record, _proxy) -> None:
    """pool_pre_ping, for connections that rested: a connection dropped while it lay in the pool (the database
    restarted, a firewall forgot an idle link) is replaced before a request uses it. A connection in steady use
    goes untested: testing it cost each request a round trip. If the server goes away between two requests a
    few seconds apart, the next one answers 503 (errors.database_unavailable) and the pool reconnects after it."""
    rested = record.info.get(_CHECKED_IN)
    if rested is None or time.monotonic() - rested < PING_AFTER_IDLE:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()
    except Exception as error:  # whatever the driver raises for a dead link
        raise DisconnectionError(str(error)) from error


def flush_for_commit(session) -> bool:
    """For before_commit hooks that must see every write of the transaction. False inside a savepoint (the
    enclosing commit runs the hook again); otherwise flushes until nothing is pending, because the commit's
    own flush runs after the hook and a flush's listeners may add rows of their own."""
    if session.in_nested_transaction():
        return False
    for _ in range(100):
        if not (session.new or session.dirty or session.deleted):
            break
        session.flush()
    return True


# Statements that cannot write: a transaction that ran only these ends with COMMIT instead of ROLLBACK.
_READ_ONLY = ("SELECT",)


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(connection, _cursor, statement, _parameters, _context, _executemany):
    if not statement.lstrip()[:6].upper().startswith(_READ_ONLY):
        connection.info["crm.wrote"] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _forget_writes(connection):
    connection.info.pop("crm.wrote", None)


def end_read_only_transaction(session) -> None:
    """Commit, rather than roll back, a request's transaction that wrote nothing and holds no pending change.

    The outcome is the same, but psycopg forgets its prepared statements on every ROLLBACK: ended by
    rollbacks, a worker's statements never reach the five runs after which they are prepared, and
    PostgreSQL plans each one again on every page. Anything but a SELECT counts as a write; then the
    session's usual rollback discards whatever a request left unsaved."""
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql" and not connection.info.get("crm.wrote"):
        session.commit()
