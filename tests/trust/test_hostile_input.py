"""Hostile input in every form and API field: never a 500, and nothing stored ever runs in a page.

Write routes come from app.url_map; their fields from the forms the app renders (or a generic set
for API routes and form-less pages). Values: script tags, attribute breakers, SQL, 10,000 characters,
control characters, wrong JSON types, negative and huge amounts, impossible dates, invalid UTF-8 files.
"""
import io

from tests.trust import routes
from tests.trust.forms import post_forms
from tests.trust.world import World

SCRIPT = "<script>alert(1)</script>"
BREAKER = '"><img src=x onerror=alert(1)>'
LONG = "长" * 10 + "x" * 9_990  # 10,000 characters; mostly ASCII so the requests stay small
HOSTILE = [SCRIPT, BREAKER, "' OR 1=1 --", LONG, "\x00\x1b", "\x1b[31m", "-1", "1e30", "2026-02-30", "9999-99-99"]
# Request k gives every field the k-th value of its class, so each field meets each value of its class.
TEXT_VALUES = [SCRIPT, BREAKER, "' OR 1=1 --", LONG, "\x00\x1b"]
NUMBER_VALUES = ["-1", "1e30", "NaN", LONG, "\x1b[31m"]
DATE_VALUES = ["2026-02-30", "9999-99-99", "-1", BREAKER, LONG]
DATE_HINTS = ("date", "period", "_on", "month", "day")
NUMBER_HINTS = ("amount", "investment", "capital", "revenue", "land", "output", "jobs", "energy", "year", "rank",
                "value", "_id", "number", "count", "mu")
WRONG_TYPES = [["列表"], {"a": 1}, 12345, -1, 1e30, True, None]
GENERIC_FIELDS = [
    "name", "title", "company_id", "company", "park", "park_id", "project_id", "event_id", "officer_id",
    "agreed_investment", "amount", "date", "to", "stage", "period", "summary", "credit_code", "description",
    "note", "notes", "comment", "reason", "source", "kind", "year", "start_date", "end_date", "due_date",
    "signed_date", "fact_date", "status", "username", "password", "q", "industry", "contact_name",
]
INVALID_UTF8 = b"\xff\xfe\xfa\x80\x81 name,\xc3\x28 \xa0\xa1\n\xe2\x28\xa1,1\n"
RAW_MARKERS = ["<script>alert(1)", "<img src=x onerror"]
NO_INPUT = {"auth.logout"}  # takes no input; it only ends the session


def _values(route: routes.Route, world: World) -> dict:
    values = {}
    for name in route.variables:
        kind = world.kind_for(route.blueprint, name, route.endpoint) or ""
        values[name] = kind[1:] if kind.startswith("=") else world.values.get(kind, 1)
    return values


def _get_routes(app):
    return [r for r in routes.walkable(app) if r.method == "GET"]


def _discover_forms(app, world, admin) -> dict[str, dict[str, str]]:
    forms: dict[str, dict[str, str]] = {}
    for route in _get_routes(app):
        if route.is_api:
            continue
        path = routes.build(route, _values(route, world))
        response = routes.call(admin.page(), route, path)
        if response.status_code == 200 and response.mimetype == "text/html":
            for action, fields in post_forms(routes.body_text(response), path).items():
                forms.setdefault(action, {}).update(fields)
    return forms


def _actor_for(app, route, actors):
    roles = routes.required_roles(app.view_functions[route.endpoint]) or ("admin",)
    role = "admin" if routes.allows(roles, "admin") else roles[0]
    return actors(role)


def _values_for(name: str, kind: str) -> list[str]:
    if kind == "date" or any(hint in name for hint in DATE_HINTS):
        return DATE_VALUES
    if kind == "number" or any(hint in name for hint in NUMBER_HINTS):
        return NUMBER_VALUES
    return TEXT_VALUES


def _form_payload(fields: dict[str, str], k: int) -> dict:
    data = {}
    for name, kind in fields.items():
        if kind == "file":
            data[name] = (io.BytesIO(INVALID_UTF8), "hostile.xlsx" if k % 2 else "hostile.csv")
        else:
            data[name] = _values_for(name, kind)[k]
    return data


def _payloads(fields: dict[str, str]):
    for k in range(len(TEXT_VALUES)):
        yield _form_payload(fields, k)
    # A crafted request may leave fields out altogether: every other field only.
    yield {name: value for i, (name, value) in enumerate(_form_payload(fields, 0).items()) if i % 2}


def _submit_page(route, path, fields, who) -> list[str]:
    failures, client = [], who.page()
    for payload in _payloads(fields):
        response = routes.call_with(client, route, path, data=payload)
        if response.status_code >= 500:
            sample = {n: str(v)[:20] for n, v in list(payload.items())[:4]}
            failures.append(f"{route} with {sample}: {response.status_code} {routes.body_text(response)[:200]}")
        if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
            client = who.page()  # the route ended the session: sign in afresh
    return failures


def _submit_api(route, path, who) -> list[str]:
    failures = []
    payloads = [{n: _values_for(n, "")[k] for n in GENERIC_FIELDS} for k in range(len(TEXT_VALUES))]
    payloads += [dict.fromkeys(GENERIC_FIELDS, value) for value in WRONG_TYPES]
    for payload in payloads:
        value = payload["name"]
        response = routes.call_with(who.api, route, path, json=payload)
        if response.status_code >= 500 or not response.is_json:
            failures.append(f"{route} with {str(value)[:30]!r}: {response.status_code} "
                            f"{routes.body_text(response)[:200]}")
    for body in (b"{not json", b"[1, 2]", INVALID_UTF8):
        response = routes.call_with(who.api, route, path, data=body, content_type="application/json")
        if response.status_code >= 500:
            failures.append(f"{route} with body {body[:20]!r}: {response.status_code}")
    return failures


def _cached_actors(actor):
    cache = {}

    def get(role):
        if role not in cache:
            cache[role] = actor(role, ["NANCHUAN"] if role == "park_staff" else ())
        return cache[role]

    return get


def test_hostile_values_never_cause_a_500_and_never_run(app, world, actor):
    actors = _cached_actors(actor)
    forms = _discover_forms(app, world, actors("admin"))
    failures = []
    writes = [r for r in routes.walkable(app) if r.method in ("POST", "PUT", "PATCH") and r.endpoint not in NO_INPUT]
    assert writes, "no write route found"
    for route in writes:
        path = routes.build(route, _values(route, world))
        who = _actor_for(app, route, actors)
        if route.is_api:
            failures += _submit_api(route, path, who)
        else:
            fields = forms.get(path) or {name: "text" for name in GENERIC_FIELDS[:14]}
            failures += _submit_page(route, path, fields, who)
    failures += _displayed_escaped(app, world, actors("admin"))
    assert not failures, "\n".join(failures)


def test_hostile_sign_in_is_refused_cleanly(client, db):
    for value in HOSTILE:
        response = client.post("/login", data={"username": value, "password": value})
        assert response.status_code in (200, 400, 401, 429), value[:30]  # 200: the form shown again
        assert client.get("/home").status_code == 302, "a hostile sign-in must not sign anyone in"
        body = routes.body_text(response)
        assert not any(marker in body for marker in RAW_MARKERS)


def _displayed_escaped(app, world, admin) -> list[str]:
    """Every page (and API answer) shown after the hostile writes: no raw markup, no 500."""
    failures = []
    for route in _get_routes(app):
        response = routes.call(admin.client_for(route), route, routes.build(route, _values(route, world)))
        body = routes.body_text(response)
        if response.status_code >= 500:
            failures.append(f"{route} after hostile writes: {response.status_code} {body[:200]}")
        elif route.is_api and response.status_code == 200 and response.mimetype != "application/json":
            failures.append(f"{route}: API answered {response.mimetype}, which a browser might render")
        elif not route.is_api and response.mimetype == "text/html" and any(m in body for m in RAW_MARKERS):
            failures.append(f"{route}: hostile markup displayed unescaped")
    return failures
