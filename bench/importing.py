"""The import target: a 10,000-row xlsx (bench/sheet.py) taken through the web flow an officer uses — upload,
preview, commit, then the report page followed until the background run ends — on a scratch copy of the
benchmark database, so the measured data stays as built."""
import re
import time
import urllib.parse

from bench import sheet
from bench.load import Client

TARGET_SECONDS = 30
TOKEN = re.compile(r'name="token" value="([0-9a-f]{32})"')
BADGE = re.compile(r'<span class="badge text-bg-\w+ me-1">(\S+) (\d+)</span>')


def measure(url: str, port: int, username: str, password: str) -> dict:
    """Times (seconds) of the preview and of the commit until its report, and the report's counts."""
    content, design = sheet.build(url)
    client = Client(port, "")
    client.sign_in(username, password)
    started = time.perf_counter()
    status, _page = client.upload("/companies/import", {"kind": "companies"}, "file", "企业名录.xlsx", content)
    if status not in (302, 303):
        raise SystemExit(f"import upload answered {status}")
    status, page = client.request("GET", urllib.parse.urlsplit(client.location).path)
    token = TOKEN.search(page.decode())
    if status != 200 or token is None:
        raise SystemExit(f"import preview answered {status}")
    previewed = time.perf_counter()
    client.request("POST", "/companies/import/commit", {"token": token.group(1), "csrf_token": client.csrf(page)},
                   form=True)
    report = f"/companies/import/{token.group(1)}/report"
    while (page := client.request("GET", report)[1].decode()) and 'data-state="running"' in page:
        time.sleep(0.2)
    done = time.perf_counter()
    if 'data-state="failed"' in page:
        raise SystemExit("the benchmark's import failed")
    return {"rows": design["rows"], "sheet": design, "preview_seconds": round(previewed - started, 1),
            "commit_seconds": round(done - previewed, 1), "total_seconds": round(done - started, 1),
            "report": {label: int(n) for label, n in BADGE.findall(page)}, "target_seconds": TARGET_SECONDS}
