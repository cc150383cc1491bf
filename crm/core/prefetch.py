"""What nearly every request reads before its own work, read in its first statement (its user's): the settings'
overrides and every set of version tokens. On PostgreSQL each statement is a round trip, and these reads would
be two or three more per request. Tokens read first are read before the data, as crm.core.versions requires.
"""
from crm.core import settings, versions
from crm.extensions import db


def columns() -> list:
    """Scalar subqueries to add to the user's statement; remember() takes their values."""
    dialect = db.session.get_bind().dialect.name
    return [settings.overrides_column(), *(tokens.column(dialect) for tokens in versions.REGISTERED)]


def remember(values) -> None:
    """Keep the values of columns(), in their order, for this transaction."""
    settings.remember_overrides(values[0])
    session = db.session()
    for tokens, found in zip(versions.REGISTERED, values[1:], strict=True):
        tokens.remember(session, found)
