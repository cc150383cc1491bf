"""What nearly every request reads before its own work, read in its first statement (its user's): the settings'
overrides and every set of version tokens. On PostgreSQL each statement is a round trip, and these reads would
be two or three more per request. Tokens read first are read before the data, as crm.core.versions requires.
"""
from crm.core import settings, versions
from crm.extensions import db


def columns(dialect: str) -> list:
    """Scalar subqueries to add to the user's statement; remember() takes their values."""
    return [settings.overrides_column(dialect), *(tokens.column(dialect) for tokens in versions.REGISTERED)]


def remember(values) -> None:
    """Keep the values of columns(), in their order, for this transaction."""
    settings.remember_overrides(values[0])
    session = db.session()
    # REGISTERED only grows: a set registered after the statement was built reads its tokens itself
    for tokens, found in zip(versions.REGISTERED, values[1:], strict=False):
        tokens.remember(session, found)
