"""Turn bench/results/*.json into the tables of docs/performance.md (the prose lives in bench/intro.md)."""
import json
from pathlib import Path

# Issue 9's p95 targets in ms, by endpoint name of bench/endpoints.py.
TARGETS = {"company list": 150, "company search (name)": 150, "company search (pinyin)": 150,
           "company list filtered": 150, "company far page": 150, "company far page by number": 150,
           "company page": 150, "company page: parks card": 50, "project list": 200,
           "project board": 200, "project page": 200, "dashboard (year of all parks)": 300, "fair report": 300,
           "API companies": 100, "API projects": 100, "API contact logs": 100, "match parks for a company": 50,
           "match companies for a gap": 1000}
WORKER_MB = 250
FLOOR_RATIO = 4  # every page's p95 within 4× the floor's


def _latest(results: Path, prefix: str) -> dict | list | None:
    files = sorted(results.glob(f"{prefix}-*.json"))
    return json.loads(files[-1].read_text()) if files else None


def _verdict(row: dict) -> str:
    target = TARGETS.get(row["name"])
    if row["errors"]:
        return f"**missed** ({row['errors']} errors)"
    if target is None:
        return "—"
    verdict = f"met (≤ {target})" if row["p95_ms"] <= target else f"**missed** (> {target})"
    if (row.get("ratio_to_floor_p95") or 0) > FLOOR_RATIO:
        verdict += f"; **over {FLOOR_RATIO}× the floor**"
    return verdict


def run_table(result: dict) -> list[str]:
    m = result["machine"]
    rounds = result.get("rounds", 1)
    lines = [f"### {result['db']} — {result['companies']:,} companies, {result['clients']} clients, "
             f"{rounds} round{'s' if rounds > 1 else ''}, {result['gunicorn']} ({result['at']})", "",
             f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, Python {m['python']}. "
             f"Data built in {result['build'].get('data_seconds')} s ({result['build']['build_seconds']} s with the "
             f"matching index); schema by {result['build']['schema']}.", "",
             "| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | req/s | p95 ÷ floor | target p95 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in result["endpoints"]:
        lines.append(f"| {r['name']} | {r['requests']} | {r['errors']} | {r['p50_ms']} | {r['p95_ms']} | "
                     f"{r['p99_ms']} | {r['throughput_rps']} | {r['ratio_to_floor_p95']} | {_verdict(r)} |")
    peaks = ", ".join(f"{w['peak_rss_mb']} MB" for w in result["workers"]) or "not read"
    over = [w for w in result["workers"] if w["peak_rss_mb"] > WORKER_MB]
    lines += ["", f"Worker peak RSS (VmHWM): {peaks} — {'**missed**' if over else 'met'} (≤ {WORKER_MB} MB).", ""]
    if imported := result.get("import"):
        met = "met" if imported["total_seconds"] <= imported["target_seconds"] else "**missed**"
        fates = ", ".join(f"{label} {n:,}" for label, n in imported["report"].items())
        lines += [f"Import of a {imported['rows']:,}-row xlsx through the pages: "
                  f"preview {imported['preview_seconds']} s, commit (background run, until its report) "
                  f"{imported['commit_seconds']} s, total "
                  f"{imported['total_seconds']} s — {met} (≤ {imported['target_seconds']} s); its report: {fates}.", ""]
    if result["skipped"]:
        lines += ["Not measured (endpoint not registered in this build): " + "; ".join(result["skipped"]) + ".", ""]
    return lines


def growth_table(rows: list) -> list[str]:
    names = [r["name"] for r in rows[0]["endpoints"]]
    lines = [f"### Growth — {rows[0]['db']} (p95 ms)", "", "| endpoint | " + " | ".join(
        f"{r['companies']:,}" for r in rows) + " |", "|---|" + "---:|" * len(rows)]
    for name in names:
        cells = [next((e["p95_ms"] for e in r["endpoints"] if e["name"] == name), "—") for r in rows]
        lines.append(f"| {name} | " + " | ".join(str(c) for c in cells) + " |")
    return [*lines, ""]


def write(results: Path, target: Path) -> None:
    parts = [(Path(__file__).parent / "intro.md").read_text().rstrip(), "", "## Results", ""]
    for kind in ("sqlite", "postgresql"):
        if run := _latest(results, kind):
            parts += run_table(run)
    parts += ["## Growth", ""]
    for kind in ("sqlite", "postgresql"):
        if rows := _latest(results, f"growth-{kind}"):
            parts += growth_table(rows)
    target.write_text("\n".join(parts) + "\n")
