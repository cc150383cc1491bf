"""Fixtures: app, db (emptied after each test), client, runner, login_as, api_as, seeded parks.

The suite runs on SQLite by default and on PostgreSQL when CRM_TEST_DATABASE_URL points at a
server; there each run gets a schema of its own, so runs never see each other's rows.
"""
import os
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from crm import create_app
from crm.auth import services as auth_services
from crm.config import with_driver
from crm.core import choices
from crm.extensions import db as _db
from crm.matching import cache as matching_cache
from crm.metrics import cache as metrics_cache
from crm.seeding import run_seeders

PASSWORD = "Test-Pass-2026!x"
PG_URL = with_driver(os.environ.get("CRM_TEST_DATABASE_URL", ""))  # postgresql:// and postgresql+psycopg:// alike


def _postgres_schema_url(url: str) -> tuple[str, dict, str]:
    schema = f"crm_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except Exception as exc:  # in CI an unreachable server is a failure, never a skip
        pytest.exit(f"PostgreSQL at {url} is not reachable: {exc}", returncode=3)
    return url, {"connect_args": {"options": f"-csearch_path={schema}"}}, schema


def _drop_schema(url: str, schema: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def database():
    """(url, engine options, dialect) of the database this run uses."""
    if PG_URL:
        url, options, schema = _postgres_schema_url(PG_URL)
        yield url, options, "postgresql"
        _drop_schema(url, schema)
    else:
        folder = tempfile.mkdtemp(prefix="crm-test-")
        yield f"sqlite:///{folder}/test.db", {}, "sqlite"
        shutil.rmtree(folder, ignore_errors=True)  # the run's database goes with it


@pytest.fixture
def empty_database(database, tmp_path):
    """A database with no tables for migration tests: a file of its own on SQLite, a fresh schema on PostgreSQL
    (yields the URL and the schema, None on SQLite)."""
    url, _options, dialect = database
    if dialect == "sqlite":
        yield f"sqlite:///{tmp_path}/migrate.db", None
        return
    schema = f"crm_migrate_{os.getpid()}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield url, schema
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def app(database, tmp_path_factory):
    url, options, _dialect = database
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": options,
        "SECRET_KEY": "test-" + secrets.token_hex(8),
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
        "SERVER_NAME": None,
    })
    with app.app_context():
        _db.create_all()  # tests only; the product migrates with Alembic
    return app


@pytest.fixture
def db(app):
    with app.app_context():
        yield _db
        _db.session.rollback()
        _empty_tables()
        # the tables were emptied behind the ORM's back, and the data tokens with them ("" again)
        choices.forget()
        metrics_cache.clear()
        matching_cache.clear()
        from crm.companies import landmarks  # imported here: at the top it would load models before the app

        landmarks.forget()  # ids start again at 1: the same largest id and update time could hold other data
        _db.session.remove()


def _empty_tables() -> None:
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture
def seeded(db):
    """The reference data of seeds/: regions, industries, parks, chains, links (and what domains add)."""
    run_seeders()
    db.session.commit()
    return db


def make_user(username: str, role: str, parks=(), password: str = PASSWORD):
    user = auth_services.create_user(username, password, role, park_codes=parks)
    _db.session.commit()
    return user


@pytest.fixture
def login_as(app, db):
    """Sign a fresh test client in as a new user of the given role (and parks for park_staff)."""

    def sign_in(role: str, parks=(), username: str | None = None):
        user = make_user(username or f"{role}_{secrets.token_hex(3)}", role, parks)
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        client.user = user
        return client

    return sign_in


class ApiClient:
    def __init__(self, client, token: str, user):
        self.client, self.user = client, user
        self.headers = {"Authorization": f"Bearer {token}"}

    def __getattr__(self, method: str):
        def call(path, **kwargs):
            headers = {**self.headers, **kwargs.pop("headers", {})}
            return getattr(self.client, method)(path, headers=headers, **kwargs)

        return call


@pytest.fixture
def api_as(app, db):
    """An API client holding a personal access token of a new user of the given role."""

    def make(role: str, parks=(), username: str | None = None) -> ApiClient:
        user = make_user(username or f"api_{role}_{secrets.token_hex(3)}", role, parks)
        _token, raw = auth_services.create_token(user, "test")
        _db.session.commit()
        return ApiClient(app.test_client(), raw, user)

    return make


@pytest.fixture(scope="session")
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent
