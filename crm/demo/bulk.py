"""Bulk Core inserts in batches, each batch its own short transaction, and the sequence fix-ups after."""
from collections.abc import Iterable
from itertools import islice

from sqlalchemy import func, insert, select, text

from crm.extensions import db

BATCH = 5000


def insert_rows(model, rows: Iterable[dict], batch: int = BATCH) -> int:
    """Insert rows with executemany; a commit per batch keeps SQLite's write lock and the WAL short."""
    table = model.__table__ if hasattr(model, "__table__") else model
    count = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, batch)):
        db.session.execute(insert(table), chunk)
        db.session.commit()
        count += len(chunk)
    return count


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
