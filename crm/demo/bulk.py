"""Bulk Core inserts in batches, each batch its own short transaction, and the sequence fix-ups after."""
from collections.abc import Iterable
from itertools import islice

from sqlalchemy import func, insert, select, text

from crm.extensions import db

BATCH = 5000


def insert_rows(model, rows: Iterable[dict], batch: int = BATCH) -> int:
    """Insert rows (dicts with the same keys) in batches: COPY on PostgreSQL, several times faster than
    multi-row INSERTs; executemany on SQLite. A commit per batch keeps SQLite's write lock and the WAL short."""
    table = model.__table__ if hasattr(model, "__table__") else model
    copy = db.engine.dialect.name == "postgresql"
    count = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, batch)):
        if copy:
            _copy(table, [_with_defaults(table, row) for row in chunk])
        else:
            db.session.execute(insert(table), chunk)
        db.session.commit()
        count += len(chunk)
    return count


def _with_defaults(table, row: dict) -> dict:
    """COPY leaves an unnamed column NULL, not its Python-side default as an INSERT would: fill the scalar
    defaults of the columns a generator does not name, so a new NOT NULL column needs no change here."""
    missing = {column.name: column.default.arg for column in table.columns
               if column.name not in row and column.default is not None and column.default.is_scalar}
    return {**row, **missing} if missing else row


def _copy(table, rows: list[dict]) -> None:
    """COPY rows into the table in the session's transaction, each value through its column type's bind
    processing (UTC times, JSON) as an INSERT would."""
    dialect = db.engine.dialect
    names = list(rows[0])
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    columns = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    driver = db.session.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
        for row in rows:
            if len(row) != len(names):
                raise ValueError(f"{table.name}: every row of a batch needs the same columns")
            copy.write_row([value if process is None else process(value)
                            for value, process in zip((row[name] for name in names), processors, strict=True)])


def next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def finish(models) -> None:
    """Ids were given explicitly: move PostgreSQL's sequences past them; refresh planner statistics (and on
    PostgreSQL the visibility map too, which index-only scans need and autovacuum may be off to build)."""
    if db.engine.dialect.name == "postgresql":
        for model in models:
            name = model.__tablename__
            sql = (f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - our own table names
                   f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)")
            db.session.execute(text(sql))
    db.session.commit()
    with db.engine.connect() as conn:
        analyze = "VACUUM (ANALYZE)" if db.engine.dialect.name == "postgresql" else "ANALYZE"
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text(analyze))
