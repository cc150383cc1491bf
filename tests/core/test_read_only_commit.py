"""A request's transaction ends with COMMIT only when it wrote nothing (PostgreSQL, where psycopg keeps its
prepared statements across commits but not rollbacks); a request that wrote is still rolled back."""
import pytest
from sqlalchemy import func, insert, select, text

from crm.core import settings
from crm.core.db import end_read_only_transaction
from crm.extensions import db as _db


@pytest.fixture
def pg(db):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("the read-only commit is for PostgreSQL; SQLite ends every request with a rollback")
    return db


def _rows() -> int:
    return _db.session.scalar(select(func.count()).select_from(settings.Setting))


def test_a_transaction_that_only_read_is_committed(pg):
    _rows()
    assert _db.session().in_transaction()
    end_read_only_transaction(_db.session())
    assert not _db.session().in_transaction()


def test_a_transaction_that_wrote_is_left_for_the_rollback(pg):
    _db.session.execute(insert(settings.Setting).values(key="test.written", value=1))
    end_read_only_transaction(_db.session())
    assert _db.session().in_transaction()
    _db.session.rollback()
    assert _rows() == 0


def test_a_pending_change_is_never_flushed_by_it(pg):
    _db.session.add(settings.Setting(key="test.pending", value=1))
    end_read_only_transaction(_db.session())
    _db.session.rollback()
    assert _rows() == 0


def test_the_premise_statements_stay_prepared_across_commits_not_rollbacks(pg):
    """Why the commit: should psycopg one day keep them across rollbacks as well, this fails and says so."""
    counted = select(func.count()).select_from(settings.Setting)
    prepared = text("SELECT count(*) FROM pg_prepared_statements")
    with _db.engine.connect() as conn:
        for _ in range(6):  # psycopg prepares a statement on its fifth run
            conn.execute(counted)
            conn.commit()
        assert conn.scalar(prepared) > 0
        conn.rollback()
        conn.execute(counted)
        conn.rollback()
        assert conn.scalar(prepared) == 0
