"""`crm backup` while writes go on, `crm restore` into an empty database, and every table compared."""
import secrets
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from crm.admin import backup as backups
from crm.extensions import db as _db
from tests import factories
from tests.conftest import make_user


def _rows(conn, table) -> list[tuple]:
    order = list(table.primary_key.columns) or list(table.columns)
    return [tuple(r) for r in conn.execute(table.select().order_by(*order))]


def _snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {t.name: _rows(conn, t) for t in _db.metadata.sorted_tables}


class Writer(threading.Thread):
    """Keeps inserting audit entries through its own connection while the backup runs."""

    def __init__(self, url: str, options: dict):
        super().__init__(daemon=True)
        self.engine = create_engine(url, **options)
        self.stop, self.written = threading.Event(), 0

    def run(self):
        table = _db.metadata.tables["audit_log"]
        while not self.stop.is_set():
            with self.engine.begin() as conn:
                conn.execute(table.insert().values(action="test.write", username="writer", summary="concurrent",
                                                   changes={}, ip="", object_type=""))
            self.written += 1
            time.sleep(0.002)
        self.engine.dispose()


def _fill(db):
    user = make_user("backup_user", "officer")
    for n in range(20):
        factories.project("NANCHUAN", name=f"备份项目{n}")
    factories.event(2024)
    db.session.commit()
    return user


@pytest.fixture
def empty_target(database, tmp_path):
    """(url, engine options) of a new, empty database of the same kind."""
    url, options, dialect = database
    if dialect == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}", {}
        return
    name = f"crm_restore_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    target = make_url(url).set(database=name).render_as_string(hide_password=False)
    yield target, {"connect_args": options.get("connect_args", {})}
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_backup_while_writing_then_restore_into_an_empty_database(app, runner, seeded, database,
                                                                  empty_target, tmp_path):
    _fill(seeded)
    url, options, _dialect = database
    before = _snapshot(_db.engine)
    writer = Writer(url, options)
    writer.start()
    try:
        time.sleep(0.05)
        out = tmp_path / "crm.backup"
        result = runner.invoke(args=["crm", "backup", str(out)])
        assert result.exit_code == 0, result.output
    finally:
        writer.stop.set()
        writer.join()
    assert writer.written > 0 and out.stat().st_size > 0

    target_url, target_options = empty_target
    result = runner.invoke(args=["crm", "restore", str(out), "--into", target_url,
                                 "--uploads-into", str(tmp_path / "restored-uploads")])
    assert result.exit_code == 0, result.output
    restored_engine = create_engine(target_url, **target_options)
    restored = _snapshot(restored_engine)
    after = _snapshot(_db.engine)
    restored_engine.dispose()
    for table in _db.metadata.sorted_tables:
        rows = restored[table.name]
        if table.name == "audit_log":  # written during the backup: a consistent prefix of the live rows
            assert rows[: len(before[table.name])] == before[table.name]
            assert all(row in after[table.name] for row in rows)
        else:
            assert rows == before[table.name] == after[table.name], table.name
    assert restored["projects"] and restored["parks"]


def test_restore_refuses_a_database_that_is_not_empty(runner, seeded, tmp_path):
    out = tmp_path / "b.backup"
    assert runner.invoke(args=["crm", "backup", str(out)]).exit_code == 0
    result = runner.invoke(args=["crm", "restore", str(out)])
    assert result.exit_code != 0 and "not empty" in result.output


def test_backup_refuses_to_overwrite_and_restore_needs_a_file(runner, db, tmp_path):
    existing = tmp_path / "exists.backup"
    existing.write_bytes(b"old")
    assert "already exists" in runner.invoke(args=["crm", "backup", str(existing)]).output
    missing = runner.invoke(args=["crm", "restore", str(tmp_path / "nope"), "--into", "sqlite:///x"])
    assert missing.exit_code != 0 and "no backup file" in missing.output


def test_sqlite_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"\xff\xfe not a database")
    with pytest.raises(backups.BackupError):
        backups.restore(bogus, f"sqlite:///{tmp_path / 'fresh.db'}")
    assert not Path(tmp_path / "fresh.db").exists() or Path(tmp_path / "fresh.db").stat().st_size == 0
