"""Insert-or-ignore on a unique key, atomic on SQLite and PostgreSQL, for rows two processes may race to add."""
from sqlalchemy import inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from crm.extensions import db


def insert_ignore(model, values: dict, conflict_columns: list[str]) -> bool:
    """True when this call inserted the row; False when a row with the same key exists (or just appeared).

    INSERT ... ON CONFLICT DO NOTHING: on PostgreSQL a racing insert waits for the other transaction
    and then does nothing, so neither process fails and the row exists once.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        key = inspect(model).primary_key[0]
        stmt = (insert(model).values(**values).on_conflict_do_nothing(index_elements=conflict_columns)
                .returning(key))  # RETURNING, not rowcount: the ORM insert path does not report rowcount
        return db.session.execute(stmt).first() is not None
    try:  # other databases: a savepoint per row, so a duplicate rolls back only itself
        with db.session.begin_nested():
            db.session.add(model(**values))
    except IntegrityError:
        return False
    return True
