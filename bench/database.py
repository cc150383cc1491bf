"""Benchmark databases: one per engine and size, built once with `crm demo` and reused while it lasts."""
import json
import os
import secrets
import sqlite3
import subprocess
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi"]
PG_SERVER = os.environ.get("CRM_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
SEED = 2026


def url_for(kind: str, companies: int) -> str:
    if kind == "sqlite":
        return f"sqlite:///{DATA / f'bench-{companies}.db'}"
    return f"{PG_SERVER}/crm_bench_{companies}"


def flask(url: str, *args: str, check: bool = True, input_text: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "CRM_DATABASE_URL": url}
    return subprocess.run([*FLASK, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check,
                          input=input_text)


def ensure(kind: str, companies: int, echo=print, *, matching: bool = True) -> tuple[str, dict]:
    """The URL of a ready database of this size, built if its marker is missing; plus the build report.

    matching=False leaves out the term index of gap matching (the growth runs do not measure matching, and at
    1,000,000 companies it would take longer than the data itself)."""
    DATA.mkdir(parents=True, exist_ok=True)
    url = url_for(kind, companies)
    marker = DATA / f"{kind}-{companies}.json"
    if marker.exists() and json.loads(marker.read_text()).get("url") == url:
        echo(f"reusing {url}")
        flask(url, "db", "upgrade")  # indexes added since the build
        if kind == "postgresql":
            # What earlier runs wrote (contact logs, stage changes) left dead rows and pages the visibility map
            # no longer vouches for; autovacuum, on by default and off on this server, would have cleaned up.
            _analyze(url)
        _settle(url)
        return url, json.loads(marker.read_text())
    _recreate(kind, url)
    schema = create_schema(url)
    echo(f"building {companies} companies into {url} (schema: {schema})")
    started = time.perf_counter()
    result = flask(url, "crm", "demo", "--companies", str(companies), "--seed", str(SEED))
    data_seconds = round(time.perf_counter() - started, 1)
    if matching:  # gap matching reads each company's terms from the database; a bulk load has none yet
        flask(url, "crm", "match", "reindex")
        _analyze(url)
    info = {"url": url, "companies": companies, "seed": SEED, "schema": schema, "data_seconds": data_seconds,
            "matching_index": matching,
            "build_seconds": round(time.perf_counter() - started, 1), "build_log": result.stdout.splitlines()}
    marker.write_text(json.dumps(info, ensure_ascii=False, indent=1))
    echo(f"built in {info['build_seconds']} s")
    _settle(url)
    return url, info


def copy(kind: str, url: str, name: str) -> str:
    """A scratch copy of the database at `url`, for a run that writes (the import); replaced if it exists."""
    if kind == "sqlite":
        target = DATA / f"scratch-{name}.db"
        _remove_sqlite(target)
        with sqlite3.connect(url.removeprefix("sqlite:///")) as source, sqlite3.connect(target) as copied:
            source.backup(copied)
        return f"sqlite:///{target}"
    source, target = url.rsplit("/", 1)[1], f"crm_scratch_{name}"
    _on_server(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)',
               # A template must have no sessions; a server just stopped may leave one for a moment.
               f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{source}'",  # noqa: S608
               f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    return f"{PG_SERVER}/{target}"


def drop_copy(kind: str, url: str) -> None:
    if kind == "sqlite":
        _remove_sqlite(Path(url.removeprefix("sqlite:///")))
    else:
        _on_server(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _on_server(*statements: str) -> None:
    """Statements on the PostgreSQL server's maintenance database, outside any transaction (our own names)."""
    engine = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def bench_user(url: str) -> tuple[str, str]:
    """A manager account of this run with a random password, so no password lives in the code."""
    username = f"bench_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(12) + "aA1!"
    flask(url, "crm", "create-user", username, "--role", "manager", input_text=password + "\n")
    return username, password


def _recreate(kind: str, url: str) -> None:
    if kind == "sqlite":
        _remove_sqlite(Path(url.removeprefix("sqlite:///")))
        return
    name = url.rsplit("/", 1)[1]
    # A UTF-8 collation, so pg_trgm and LIKE see Chinese characters as characters (issue 9, trap 6).
    _on_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
               f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' "
               "TEMPLATE template0")


def _analyze(url: str) -> None:
    """Statistics (and on PostgreSQL the visibility map) for the term tables the reindex just wrote."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM (ANALYZE)" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()


def _settle(url: str) -> None:
    """Write out what is pending before the load starts. A vacuum of a freshly built PostgreSQL database writes
    some 600 MB of WAL, and the checkpoint that follows wrote to disk during the first half minute of the
    measured load (p95 of contact-log POSTs 788 ms against 46 ms in the next run); a SQLite WAL left by the
    build or earlier runs is folded into the database file likewise."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("CHECKPOINT" if engine.dialect.name == "postgresql" else "PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()


def create_schema(url: str) -> str:
    flask(url, "db", "upgrade")
    return "flask db upgrade"


def token(url: str, username: str) -> str:
    return flask(url, "crm", "create-token", username, "--name", "bench").stdout.strip().splitlines()[-1]
