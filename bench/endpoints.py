"""The request mix: the endpoints that exist in this build (read from app.url_map), with sample ids."""
import random
from datetime import date

from sqlalchemy import create_engine, text

FLOOR = "floor: GET /_bench/floor (bench/serve.py: 50 companies, one indexed query, JSON)"
# The floor answers about four times as fast as a page: with as many requests it was timed in a quarter of a
# page's time in each round, and its p95 (every ratio's denominator) swung with the host more than any page's.
# Four times the requests give it about a page's share of each round.
FLOOR_REQUESTS = 4


def registered(url: str) -> set[str]:
    from crm import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    return {rule.endpoint for rule in app.url_map.iter_rules()}


def samples(url: str, rng: random.Random) -> dict:
    """Ids to vary the requests by: companies, projects, a gap link, the latest 青洽会 edition."""
    engine = create_engine(url)
    with engine.connect() as conn:
        one = conn.execute
        found = {
            "companies": [r[0] for r in one(text("SELECT id FROM companies WHERE source <> '央企名录' "
                                                 "ORDER BY id LIMIT 5000"))],
            "projects": [r[0] for r in one(text("SELECT id FROM projects ORDER BY id LIMIT 5000"))],
            "negotiating": [r[0] for r in one(text("SELECT id FROM projects WHERE stage = 'negotiating' "
                                                   "ORDER BY id LIMIT 2000"))],
            "initials": [r[0][:3] for r in one(text("SELECT pinyin_initials FROM companies ORDER BY id LIMIT 200"))],
            "names": [r[0][2:4] for r in one(text("SELECT name FROM companies WHERE source <> '央企名录' "
                                                  "ORDER BY id LIMIT 200"))],
            "links": [tuple(r) for r in one(text("SELECT p.code, l.id FROM chain_links l JOIN chains c "
                                                 "ON c.id = l.chain_id JOIN parks p ON p.id = c.park_id "
                                                 "ORDER BY l.id LIMIT 50"))],
            "event": one(text("SELECT e.id FROM events e JOIN event_types t ON t.id = e.type_id "
                              "WHERE t.code = 'QINGQIA' AND e.start_date <= CURRENT_DATE "
                              "ORDER BY e.start_date DESC LIMIT 1")).scalar(),
            "total": one(text("SELECT count(*) FROM companies")).scalar(),
        }
    engine.dispose()
    found["far_after"] = _far_cursor(url, _far_page(found["total"]))
    for key in ("companies", "projects", "initials", "names"):
        rng.shuffle(found[key])
    return found


def _far_page(total: int) -> int:
    return max(2, total // 50 - 5)


def _far_cursor(url: str, far: int) -> str | None:
    """The cursor of page `far`'s next link on the page before it, as an officer paging on gets it (keyset.py);
    None in a build without keyset paging."""
    from sqlalchemy import select

    from crm import create_app
    from crm.extensions import db

    try:
        from crm.companies import keyset
    except ImportError:
        return None
    from crm.companies.models import Company
    from crm.companies.queries import SORTS

    with create_app({"SQLALCHEMY_DATABASE_URI": url}).app_context():
        row = db.session.execute(select(Company.id, Company.updated_at).where(Company.merged_into_id.is_(None))
                                 .order_by(*SORTS["updated"]).offset((far - 1) * 50 - 1).limit(1)).one()
        return keyset.cursor("updated", row)


def plan(endpoints: set[str], s: dict, requests: int, today: date) -> tuple[list[dict], list[str]]:
    """(specs, skipped): one spec per endpoint that exists; skipped lists those not registered yet."""
    far = _far_page(s["total"])
    last_year = today.year - 1
    candidates = [
        ("floor", None, "GET", False, ["/_bench/floor"]),  # served by bench/serve.py, not by the product
        ("company list", "companies.index", "GET", False, ["/companies/"]),
        ("company search (name)", "companies.index", "GET", False, [f"/companies/?q={n}" for n in s["names"][:50]]),
        ("company search (pinyin)", "companies.index", "GET", False,
         [f"/companies/?q={i}" for i in s["initials"][:50]]),
        ("company list filtered", "companies.index", "GET", False,
         ["/companies/?tier=上市公司", "/companies/?ownership=央企", "/companies/?province=江苏省&sort=name"]),
        # An officer reaches a far page through next links, which carry the keyset cursor; a page number
        # typed into the address pages by OFFSET, measured on its own.
        ("company far page", "companies.index", "GET", False,
         [f"/companies/?page={far}&after={s['far_after']}"] if s.get("far_after") else []),
        ("company far page by number", "companies.index", "GET", False, [f"/companies/?page={far}"]),
        ("company page", "companies.detail", "GET", False, [f"/companies/{c}" for c in s["companies"][:100]]),
        # the company page's card of suggested parks, which its browser fetches as the card comes into view
        ("company page: parks card", "matching.company_parks", "GET", False,
         [f"/matching/companies/{c}" for c in s["companies"][:100]], {"HX-Request": "true"}),
        ("project list", "projects.index", "GET", False, ["/projects/", "/projects/?stage=started",
                                                           "/projects/?park=GANHE&stage=signed"]),
        ("project board", "projects.board", "GET", False, ["/projects/board"]),
        ("project page", "projects.detail", "GET", False, [f"/projects/{p}" for p in s["projects"][:100]]),
        ("dashboard (year of all parks)", "metrics.dashboard", "GET", False,
         [f"/dashboard/?from={last_year}-01-01&to={last_year}-12-31"]),
        ("fair report", "reports.fair", "GET", False, [f"/reports/fair/{s['event']}"] if s["event"] else []),
        ("API companies", "companies_api.companies", "GET", True, ["/api/v1/companies?per_page=50"]),
        ("API projects", "projects_api.projects", "GET", True, ["/api/v1/projects?per_page=50"]),
        ("API contact logs", "companies_api.logs", "GET", True,
         [f"/api/v1/companies/{c}/logs" for c in s["companies"][:100]]),
        ("match parks for a company", "matching_api.parks_for_company", "GET", True,
         [f"/api/v1/match/parks?company={c}" for c in s["companies"][:50]]),
        ("match companies for a gap", "matching_api.companies_for_link", "GET", True,
         [f"/api/v1/match/companies?park={code}&link={link}" for code, link in s["links"][:20]]),
        ("carrier matches for a project", "land_api.carrier_matches", "GET", True,
         [f"/api/v1/projects/{p}/carrier-matches" for p in s["projects"][:100]]),
    ]
    specs, skipped = [], []
    for name, endpoint, method, api, paths, *headers in candidates:
        if (endpoint is not None and endpoint not in endpoints) or not paths:
            skipped.append(f"{name} ({endpoint})")
            continue
        specs.append({"name": name, "endpoint": endpoint, "method": method, "api": api, "paths": paths,
                      "requests": requests * (FLOOR_REQUESTS if name == "floor" else 1),
                      **({"headers": headers[0]} if headers else {})})
    specs += _writes(endpoints, s, requests, today, skipped)
    return specs, skipped


def _writes(endpoints, s, requests, today, skipped) -> list[dict]:
    specs = []
    if "companies_api.add_log" in endpoints:
        specs.append({"name": "contact-log POST", "endpoint": "companies_api.add_log", "method": "POST", "api": True,
                      "paths": [f"/api/v1/companies/{c}/logs" for c in s["companies"][:200]],
                      "bodies": [{"date": today.isoformat(), "kind": "电话", "summary": "基准测试：电话跟进投资意向"}],
                      "requests": requests})
    else:
        skipped.append("contact-log POST (companies_api.add_log)")
    # Each transition moves a different negotiating project to signed, so every request is a real change.
    count = min(requests, len(s["negotiating"]))
    if "projects_api.transition" in endpoints and count:
        specs.append({"name": "stage transition POST", "endpoint": "projects_api.transition", "method": "POST",
                      "api": True, "paths": [f"/api/v1/projects/{p}/transitions" for p in s["negotiating"][:count]],
                      "bodies": [{"to": "signed", "date": today.isoformat(), "agreed_investment": "20000"}],
                      "requests": count})
    else:
        skipped.append("stage transition POST (projects_api.transition)")
    return specs
