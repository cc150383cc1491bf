"""The migration history builds the whole schema on an empty database and matches the models."""
import os
import subprocess
import sys

from sqlalchemy import create_engine, inspect

from crm.extensions import db as _db


def test_upgrade_from_empty_creates_every_table_and_check_finds_no_drift(app, empty_database, project_root):
    url, schema = empty_database
    env = {**os.environ, "CRM_DATABASE_URL": url, "CRM_SECRET_KEY": "migration-test"}
    if schema:
        env["PGOPTIONS"] = f"-csearch_path={schema}"
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "db"]
    upgrade = subprocess.run([*flask, "upgrade"], cwd=project_root, env=env, capture_output=True, text=True)
    assert upgrade.returncode == 0, upgrade.stderr[-2000:]
    check = subprocess.run([*flask, "check"], cwd=project_root, env=env, capture_output=True, text=True)
    assert check.returncode == 0, (check.stdout + check.stderr)[-2000:]
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"} if schema else {})
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert set(_db.metadata.tables) <= tables
