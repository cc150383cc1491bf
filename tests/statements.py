"""Record the SQL statements a block of code sends, for tests that guard query counts."""
from contextlib import contextmanager

from sqlalchemy import event

from crm.extensions import db


@contextmanager
def recorded_statements(engine=None):
    """Yields a list that fills with every statement sent on `engine` (the app's engine by default)."""
    engine = engine or db.engine
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
