"""A locked or unreachable database answers 503 (page or JSON) and the app recovers by itself."""
import sqlite3

import pytest
from sqlalchemy import create_engine, func, select

from crm import create_app
from crm.auth import services as auth_services
from crm.core import audit
from crm.core import db as core_db
from crm.core.errors import ServiceError
from crm.extensions import db as _db
from tests import factories
from tests.conftest import PASSWORD, PG_URL


@pytest.fixture
def sqlite_app(tmp_path):
    """An app on its own SQLite file, with a short busy timeout so a held lock shows quickly."""
    path = tmp_path / "locked.db"
    app = create_app({"TESTING": True, "SECRET_KEY": "z" * 32, "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 0.2}}})
    with app.app_context():
        _db.create_all()
        user = auth_services.create_user("locked_user", PASSWORD, "officer")
        _, raw = auth_services.create_token(user, "t")
        _db.session.commit()
        _db.engine.dispose()
    return app, path, raw


def _lock(path):
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")  # WAL would let readers through; hold out everyone
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_locked_database_answers_503_then_recovers(sqlite_app):
    app, path, raw = sqlite_app
    browser, api = app.test_client(), app.test_client()
    browser.post("/login", data={"username": "locked_user", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {raw}"}
    with app.app_context():
        _db.engine.dispose()  # let the holder switch the journal mode
    holder = _lock(path)
    try:
        page = browser.get("/home")
        assert page.status_code == 503 and "数据库暂时不可用" in page.get_data(as_text=True)
        answer = api.get("/api/v1/me", headers=headers)
        assert answer.status_code == 503 and answer.get_json()["error"]["code"] == "unavailable"
    finally:
        holder.rollback() if holder.in_transaction else None
        holder.close()
    assert browser.get("/home").status_code == 200  # no restart needed
    assert api.get("/api/v1/me", headers=headers).status_code == 200


def test_unreachable_postgres_answers_503(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "z" * 32,
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 1}}})
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:abc"
    page = client.get("/home")
    assert page.status_code == 503 and "数据库暂时不可用" in page.get_data(as_text=True)
    answer = client.get("/api/v1/me", headers={"Authorization": "Bearer crm_x"})
    assert answer.status_code == 503 and answer.is_json


@pytest.mark.skipif(not PG_URL, reason="a server that drops connections: PostgreSQL")
def test_a_connection_dropped_while_resting_in_the_pool_is_replaced(db, login_as, monkeypatch):
    browser = login_as("officer")

    def drop_the_pooled_connection():
        db.session.remove()
        db.engine.dispose()  # one connection in the pool from here on: the one dropped below
        pid = db.session.scalar(select(func.pg_backend_pid()))
        db.session.remove()  # back to the pool
        with create_engine(PG_URL).connect() as other:
            assert other.scalar(select(func.pg_terminate_backend(pid, 5000)))  # waits till it is gone

    # in steady use a connection is not tested: the request on a dropped one answers 503, the next reconnects
    drop_the_pooled_connection()
    assert browser.get("/home").status_code == 503
    assert browser.get("/home").status_code == 200
    # a connection that rested is tested first and replaced: the officer never sees the drop
    monkeypatch.setattr(core_db, "PING_AFTER_IDLE", 0.0)
    drop_the_pooled_connection()
    assert browser.get("/home").status_code == 200


def test_a_failed_service_call_leaves_nothing_behind(seeded):
    """A refused user creation after earlier writes in the same unit of work keeps none of them."""
    factories.company(name="应被回滚的企业")
    with pytest.raises(ServiceError):
        auth_services.create_user("bad_staff", PASSWORD, "park_staff", park_codes=[])
    seeded.session.rollback()  # what the view / CLI does with a ServiceError
    from crm.companies.models import Company

    assert seeded.session.query(Company).filter_by(name="应被回滚的企业").count() == 0
    assert seeded.session.query(audit.AuditEntry).filter_by(action="user.create").count() == 0
