"""Every route, walked: anonymous visitors, another park's staff and under-privileged roles are refused.

The rules come from app.url_map, so a route added tomorrow is walked tomorrow. A route whose URL
variable is unknown to tests/trust/world.py fails here until its object is added there.
"""
from crm.extensions import db
from tests.trust import routes
from tests.trust.world import MANAGER_VISIBLE, PARK_BOUND, SECRETS, World

OTHER_PARK = "GANHE"
# GET routes a manager legitimately gets 404 from with the world's objects (reason beside each).
POSITIVE_CONTROL_EXEMPT = {
    "projects.transition": "needs ?to=<stage>",
    "projects.ledger.funds_attachment": "the world's funds entry has no attachment",
}


def _leaks(body: str) -> list[str]:
    return [s for s in SECRETS if s in body]


def _fill(route: routes.Route, world: World) -> tuple[dict, list[str], list[str]]:
    """Values for the rule's variables, the kinds they name, and the variables nobody mapped."""
    values, kinds, unknown = {}, [], []
    for name in route.variables:
        kind = world.kind_for(route.blueprint, name, route.endpoint)
        if kind is None:
            unknown.append(name)
        elif kind.startswith("="):
            values[name] = kind[1:]
        else:
            values[name] = world.values[kind]
            kinds.append(kind)
    return values, kinds, unknown


def _anonymous_refused(route: routes.Route, response) -> str | None:
    if route.is_api:
        ok = response.status_code == 401 and response.is_json and "error" in response.get_json()
        return None if ok else f"API answered {response.status_code} to an anonymous caller"
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return None
    if response.status_code in (401, 403, 404):
        return None
    return f"page answered {response.status_code} to an anonymous visitor"


def test_anonymous_is_refused_everywhere(app, world):
    failures = []
    for route in routes.walkable(app):
        values, _kinds, _unknown = _fill(route, world)
        response = routes.call(app.test_client(), route, routes.build(route, values))
        problem = _anonymous_refused(route, response)
        if problem or _leaks(routes.body_text(response)):
            failures.append(f"{route}: {problem or 'leaks ' + str(_leaks(routes.body_text(response)))}")
    assert not failures, "\n".join(failures)


def test_other_parks_staff_reach_no_nanchuan_object(app, world, actor):
    staff = actor("park_staff", [OTHER_PARK])
    failures = []
    for route in routes.walkable(app):
        values, kinds, unknown = _fill(route, world)
        if unknown:
            failures.append(f"{route}: URL variable(s) {unknown} unknown to the access test — add them to "
                            "VARIABLES (or BLUEPRINT_IDS for a bare <id>) in tests/trust/world.py, with an "
                            "object of that kind at park NANCHUAN in build_world()")
            continue
        response = routes.call(staff.client_for(route), route, routes.build(route, values))
        body = routes.body_text(response)
        if response.status_code >= 500:
            failures.append(f"{route}: answered {response.status_code} {body[:200]}")
        elif set(kinds) & PARK_BOUND and response.status_code not in (403, 404):
            failures.append(f"{route}: another park's staff got {response.status_code} on a NANCHUAN "
                            f"{sorted(set(kinds) & PARK_BOUND)}; expected 403/404")
        elif leaks := _leaks(body):
            failures.append(f"{route}: another park's staff sees NANCHUAN data {leaks}")
    assert not failures, "\n".join(failures)
    _world_untouched(world)


def _world_untouched(world: World) -> None:
    """The refused writes above changed nothing."""
    db.session.expire_all()
    project = world.objects["project"]
    db.session.refresh(project)
    assert "SENTINEL7Q" in project.name and project.version == 1


def test_managers_reach_the_mapped_objects(app, world, actor):
    """Positive control: the ids the walker uses are real, so the 404s above mean refusal."""
    admin = actor("admin")
    failures = []
    for route in routes.walkable(app):
        values, kinds, unknown = _fill(route, world)
        if route.method != "GET" or unknown or not set(kinds) & MANAGER_VISIBLE or \
                route.endpoint in POSITIVE_CONTROL_EXEMPT:
            continue
        response = routes.call(admin.client_for(route), route, routes.build(route, values))
        if response.status_code == 404 or response.status_code >= 500:
            failures.append(f"{route}: an admin got {response.status_code}")
    assert not failures, "\n".join(failures)


def test_role_restricted_routes_refuse_other_roles(app, world, actor):
    """Views declaring required_roles answer 403 to an officer / park staff they do not list."""
    actors = {"officer": actor("officer"), "park_staff": actor("park_staff", ["NANCHUAN"])}
    failures, checked = [], 0
    for route in routes.walkable(app):
        roles = routes.required_roles(app.view_functions[route.endpoint])
        if roles is None:
            continue
        values, _kinds, _unknown = _fill(route, world)
        for role, who in actors.items():
            if routes.allows(roles, role):
                continue
            checked += 1
            response = routes.call(who.client_for(route), route, routes.build(route, values))
            if response.status_code != 403:
                failures.append(f"{route}: {role} got {response.status_code}; only {roles} may")
    assert checked, "no role-restricted route found: is roles_required still setting required_roles?"
    assert not failures, "\n".join(failures)


def test_walker_sees_every_blueprint(app):
    """The walker is only as good as its rule list: every registered blueprint has walked rules."""
    walked = {route.blueprint for route in routes.walkable(app)}
    with_rules = {rule.endpoint.rpartition(".")[0] for rule in app.url_map.iter_rules()} - {""}
    assert with_rules <= walked | {"auth"}, with_rules - walked
