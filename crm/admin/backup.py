"""Backup and restore: SQLite through the online backup API, PostgreSQL through pg_dump/pg_restore.

A backup runs while the site serves requests. A restore goes only into an EMPTY database, so it can
never mix a backup with live data; restore into a new database, check it, then switch the site to it.
"""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from crm.extensions import db


class BackupError(click.ClickException):
    """A backup or restore could not run; the message says why and what to do."""


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict]:
    """A libpq connection string without the password, which goes in PGPASSWORD (not in `ps`)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict) -> None:
    tool = shutil.which(args[0])
    if tool is None:
        raise BackupError(f"{args[0]} not found: install the PostgreSQL client tools (postgresql-client)")
    # The tool is found on PATH and every argument is built here, never taken from a request.
    result = subprocess.run([tool, *args[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()[:2000]}")


def backup_sqlite(source: Path, out: Path) -> None:
    """One backup step copies every page under a read snapshot (WAL): writers carry on meanwhile."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(out)
    try:
        src.execute("PRAGMA busy_timeout=10000")
        src.backup(dst)
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"the backup {out} failed its integrity check")
    finally:
        dst.close()
        src.close()


def backup_postgres(url: URL, out: Path, schema: str) -> None:
    conninfo, env = _libpq(url)
    args = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={out}", conninfo]
    if schema and schema != "public":
        args.insert(1, f"--schema={schema}")
    _run(args, env)


def table_count(url: str, engine_options: dict | None = None) -> int:
    """Tables of the target database, outside the system schemas."""
    engine = create_engine(url, **{k: v for k, v in (engine_options or {}).items() if k == "connect_args"})
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                return len([t for t in inspect(conn).get_table_names() if not t.startswith("sqlite_")])
            return conn.execute(text(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")).scalar_one()
    finally:
        engine.dispose()


def check_sqlite_backup(source: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} is not an intact SQLite database")
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a SQLite database backup: {exc}") from exc
    finally:
        src.close()


def restore_sqlite(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a SQLite database backup: {exc}") from exc
    finally:
        src.close()


def restore_postgres(source: Path, url: URL) -> None:
    conninfo, env = _libpq(url)
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--dbname={conninfo}", str(source)], env)


def backup(url: str, out: Path, *, schema: str = "public") -> None:
    parsed = make_url(url)
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} already exists; choose a new file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "sqlite":
        backup_sqlite(_sqlite_path(parsed), out)
    else:
        backup_postgres(parsed, out, schema)


def restore(source: Path, url: str, *, engine_options: dict | None = None) -> None:
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        check_sqlite_backup(source)
    tables = table_count(url, engine_options)
    if tables:
        raise BackupError(f"the target database is not empty ({tables} tables): a backup is restored only "
                          "into a new, empty database (create one, point CRM_DATABASE_URL or --into at it)")
    if parsed.get_backend_name() == "sqlite":
        restore_sqlite(source, _sqlite_path(parsed))
    else:
        restore_postgres(source, parsed)


def current_schema() -> str:
    with db.engine.connect() as conn:
        if conn.dialect.name != "postgresql":
            return ""
        return conn.execute(text("SELECT current_schema()")).scalar_one()


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(out: Path):
    """Write a backup of the site's database to OUT while the site keeps running."""
    backup(current_app.config["SQLALCHEMY_DATABASE_URI"], out, schema=current_schema())
    click.echo(f"backup written to {out} ({out.stat().st_size:,} bytes)")


@click.command("restore")
@click.argument("source", metavar="IN", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", "into", default="", help="database URL to restore into (default: the site's own)")
def restore_command(source: Path, into: str):
    """Restore the backup IN into an EMPTY database; a database holding tables is refused."""
    url = into or current_app.config["SQLALCHEMY_DATABASE_URI"]
    options = {} if into else current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    db.session.remove()
    restore(source, url, engine_options=options)
    click.echo(f"restored {source} into {make_url(url).render_as_string(hide_password=True)}")
