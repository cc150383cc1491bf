"""Backup and restore: the database (SQLite through the online backup API, PostgreSQL through pg_dump/
pg_restore) and the uploaded files (funds evidence, import files) in one tar archive.

A backup runs while the site serves requests; the archive holds password hashes and evidence, so it is
created readable by its owner alone (0600). A restore goes only into an EMPTY database and an empty uploads
folder, so it can never mix a backup with live data; restore into new ones, check them, then switch the
site to them. An archive holds database.sqlite or database.pgdump, uploads/…, and manifest.json.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

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


DATABASE_MEMBER = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
UPLOADS = "uploads"


@contextmanager
def _private_file(out: Path):
    """A new file only its owner may read, created so (never another's file, never readable for a moment)."""
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        yield handle


def backup(url: str, out: Path, *, schema: str = "public", uploads: Path | None = None) -> dict:
    """The database and the uploads folder into the archive OUT (0600); returns its manifest."""
    parsed = make_url(url)
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} already exists; choose a new file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    dialect = "sqlite" if parsed.get_backend_name() == "sqlite" else "postgresql"
    with tempfile.TemporaryDirectory(prefix="crm-backup-") as work:  # 0700: the dump is private too
        dump = Path(work) / DATABASE_MEMBER[dialect]
        if dialect == "sqlite":
            backup_sqlite(_sqlite_path(parsed), dump)
        else:
            backup_postgres(parsed, dump, schema)
        files = sorted(p for p in Path(uploads).rglob("*") if p.is_file()) if uploads and Path(uploads).is_dir() else []
        manifest = {"format": 1, "database": dialect, "uploads": len(files)}
        (Path(work) / "manifest.json").write_text(json.dumps(manifest))
        with _private_file(out) as handle, tarfile.open(fileobj=handle, mode="w:gz") as archive:
            archive.add(Path(work) / "manifest.json", "manifest.json")
            archive.add(dump, dump.name)
            for path in files:
                archive.add(path, f"{UPLOADS}/{path.relative_to(uploads).as_posix()}", recursive=False)
    return manifest


def _member_path(name: str) -> PurePosixPath:
    """A member's name as a relative path that stays inside the folder it is extracted to."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BackupError(f"the archive holds an unsafe name ({name[:200]}): not a backup of this product")
    return path


def _extract(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with archive.extractfile(member) as source, target.open("wb") as handle:
        shutil.copyfileobj(source, handle)


def _folder_is_empty(folder: Path) -> bool:
    return not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def restore(source: Path, url: str, *, engine_options: dict | None = None, uploads: Path | None = None) -> dict:
    """Restore the archive SOURCE into an empty database (and its uploads into an empty folder); an older
    backup that is a bare database file is restored as such. Returns what was restored."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    if not tarfile.is_tarfile(source):
        _restore_database(source, url, engine_options)
        return {"format": 0, "uploads": 0}
    with tarfile.open(source, "r:*") as archive, tempfile.TemporaryDirectory(prefix="crm-restore-") as work:
        members = {str(_member_path(m.name)): m for m in archive.getmembers() if m.isfile()}
        dialect = "sqlite" if make_url(url).get_backend_name() == "sqlite" else "postgresql"
        if DATABASE_MEMBER[dialect] not in members:
            raise BackupError(f"the archive holds no {dialect} database: it was made from another kind")
        files = {name: m for name, m in members.items() if name.startswith(f"{UPLOADS}/")}
        if files and (uploads is None or not _folder_is_empty(Path(uploads))):
            raise BackupError(f"the uploads folder {uploads} is not empty: uploads are restored only into an "
                              "empty folder (point --uploads-into or CRM_UPLOAD_FOLDER at a new one)")
        dump = Path(work) / DATABASE_MEMBER[dialect]
        _extract(archive, members[DATABASE_MEMBER[dialect]], dump)
        _restore_database(dump, url, engine_options)
        for name, member in files.items():
            _extract(archive, member, Path(uploads) / PurePosixPath(name).relative_to(UPLOADS))
    return {"format": 1, "uploads": len(files)}


def _restore_database(source: Path, url: str, engine_options: dict | None) -> None:
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
    """Write the site's database and uploaded files to the archive OUT (readable by its owner only) while the
    site keeps running."""
    manifest = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], out, schema=current_schema(),
                      uploads=Path(current_app.config["UPLOAD_FOLDER"]))
    click.echo(f"backup written to {out} ({out.stat().st_size:,} bytes, {manifest['uploads']} uploaded files)")


@click.command("restore")
@click.argument("source", metavar="IN", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", "into", default="", help="database URL to restore into (default: the site's own)")
@click.option("--uploads-into", "uploads_into", default="", type=click.Path(file_okay=False, path_type=Path),
              help="folder to restore the uploaded files into (default: the site's CRM_UPLOAD_FOLDER)")
def restore_command(source: Path, into: str, uploads_into: Path | None):
    """Restore the backup IN into an EMPTY database and an empty uploads folder; anything holding data is
    refused."""
    url = into or current_app.config["SQLALCHEMY_DATABASE_URI"]
    options = {} if into else current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    db.session.remove()
    done = restore(source, url, engine_options=options,
                   uploads=Path(uploads_into) if uploads_into else Path(current_app.config["UPLOAD_FOLDER"]))
    click.echo(f"restored {source} into {make_url(url).render_as_string(hide_password=True)} "
               f"({done['uploads']} uploaded files)")
