"""`python -m bench.run` (make bench): build or reuse the data, serve it with gunicorn, load it, report.

Options: --db sqlite|postgresql|both, --companies N (100,000), --requests N per endpoint (200), --rounds N (4),
--growth 10000,100000 (list, search and dashboard timings at those sizes). Only 127.0.0.1 is used.
"""
import argparse
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from bench import database, endpoints, importing, report
from crm.core.formatting import local_today

ROOT = database.ROOT
RESULTS = ROOT / "bench" / "results"
WORKERS = 2
IMPORT = "import"  # --only takes it beside endpoint names
GROWTH_ENDPOINTS = ("floor", "company list", "company search (pinyin)", "company far page",
                    "dashboard (year of all parks)", "API companies")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(url: str, port: int, threads: int) -> subprocess.Popen:
    """gunicorn on `url`, returned once both workers have warmed up (bench/gunicorn_conf.py notes each one):
    the port opens before the workers have loaded their dictionaries, and a request timed meanwhile waits."""
    ready = Path(tempfile.mkdtemp(prefix="crm-bench-ready-"))
    # the bench's one token makes far more than 600 API requests a minute: every request is still counted
    # (its cost is measured), none is refused
    env = {**os.environ, "CRM_DATABASE_URL": url, "CRM_RUN_SCHEDULER": "0", "CRM_BENCH_READY": str(ready),
           "CRM_API_RATE_LIMIT": "1000000000"}
    process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "bench/gunicorn_conf.py",
                                "--workers", str(WORKERS), "--threads", str(threads), "--bind", f"127.0.0.1:{port}",
                                "--log-level", "warning", "bench.serve:app"], cwd=ROOT, env=env)
    try:
        # 300 s: the first start on a just-built 1,000,000-company database missed 120 s (the next took 15 s)
        deadline = time.time() + 300
        while time.time() < deadline and process.poll() is None:
            if len(list(ready.iterdir())) >= WORKERS:
                return process
            time.sleep(0.2)
        process.terminate()
        raise SystemExit("gunicorn's workers did not start")
    finally:
        shutil.rmtree(ready, ignore_errors=True)


def worker_peaks(master: int) -> list[dict]:
    """Peak resident memory (VmHWM) of each gunicorn worker, read from /proc before they stop."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master):
            peak_kb = int(fields["VmHWM"].split()[0])
            peaks.append({"pid": int(status.parent.name), "peak_rss_mb": round(peak_kb / 1024, 1)})
    return peaks


@dataclass(frozen=True)
class Load:
    """How hard and how long the load generator drives the server."""

    requests: int  # per endpoint
    clients: int
    threads: int  # per gunicorn worker
    rounds: int  # slices of each endpoint's requests, the endpoints taking turns (bench/load.py)


def run_load(url: str, specs: list[dict], load: Load, user: tuple[str, str]):
    port = free_port()
    server = start_gunicorn(url, port, load.threads)
    try:
        username, password = user
        plan = {"port": port, "clients": load.clients, "rounds": load.rounds, "username": username,
                "password": password, "token": database.token(url, username), "endpoints": specs}
        loaded = subprocess.run([sys.executable, "-m", "bench.load"], cwd=ROOT, input=json.dumps(plan),
                                stdout=subprocess.PIPE, text=True, check=True)
        return json.loads(loaded.stdout), worker_peaks(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def time_import(kind: str, url: str, threads: int, user: tuple[str, str]) -> dict:
    """The 10,000-row import through the web pages, served by the same gunicorn, on a scratch copy."""
    scratch = database.copy(kind, url, "import")
    port = free_port()
    server = start_gunicorn(scratch, port, threads)
    try:
        result = importing.measure(scratch, port, *user)
        print(f"  import {result['rows']:,} rows: {result['total_seconds']} s", file=sys.stderr)
        return result
    finally:
        server.terminate()
        server.wait(timeout=30)
        database.drop_copy(kind, scratch)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"nproc": os.cpu_count(), "memory_gb": round(memory / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version()}


def bench_one(kind: str, companies: int, load: Load, only=None) -> dict:
    url, build = database.ensure(kind, companies, matching=only != GROWTH_ENDPOINTS)
    # the product's day (Asia/Shanghai), as the demo data's stage dates are: a signing dated by the machine's
    # day, eight hours behind in the evening, fell before a negotiation begun "today" and was refused (422)
    specs, skipped = endpoints.plan(endpoints.registered(url), endpoints.samples(url, random.Random(9)), load.requests,
                                    local_today(datetime.now(UTC)))
    if only:
        specs = [s for s in specs if s["name"] in only]
    user = database.bench_user(url)
    results, workers = run_load(url, specs, load, user)
    imported = time_import(kind, url, load.threads, user) if not only or IMPORT in only else None
    floor = next((r["p95_ms"] for r in results if r["name"] == "floor"), None)
    for row in results:
        row["ratio_to_floor_p95"] = round(row["p95_ms"] / floor, 1) if floor else None
    return {"db": kind, "companies": companies, "clients": load.clients, "rounds": load.rounds,
            "gunicorn": f"{WORKERS} workers x {load.threads} threads",
            "build": {k: build.get(k) for k in ("build_seconds", "data_seconds", "schema", "build_log")},
            "machine": machine(),
            "at": datetime.now(UTC).isoformat(timespec="seconds"), "floor": endpoints.FLOOR, "skipped": skipped,
            "endpoints": results, "workers": workers, "import": imported}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (2 workers)")
    parser.add_argument("--rounds", type=int, default=4, help="each endpoint's requests in this many turns")
    parser.add_argument("--only", default="", help="endpoint names and/or 'import', e.g. 'floor,import'")
    parser.add_argument("--growth", default="", help="comma-separated company counts, e.g. 10000,100000")
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    load = Load(args.requests, args.clients, args.threads, args.rounds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = date.today().isoformat()
    for kind in kinds:
        if args.growth:
            rows = [bench_one(kind, int(n), load, GROWTH_ENDPOINTS)
                    for n in args.growth.split(",")]
            path = RESULTS / f"growth-{kind}-{stamp}.json"
            path.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
        else:
            only = tuple(args.only.split(",")) if args.only else None
            result = bench_one(kind, args.companies, load, only)
            path = RESULTS / f"{kind}-{stamp}.json"
            path.write_text(json.dumps(result, ensure_ascii=False, indent=1))
        print(f"wrote {path.relative_to(ROOT)}")
    report.write(RESULTS, ROOT / "docs" / "performance.md")


if __name__ == "__main__":
    main()
