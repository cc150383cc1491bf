"""The app's URL rules as the trust tests walk them: which to call, with which URL, as whom."""
import io
import zipfile
from dataclasses import dataclass

from werkzeug.routing import IntegerConverter, Rule
from werkzeug.wrappers import Response

# Endpoints meant for anonymous visitors. Keep this SHORT: every addition is a public page.
PUBLIC_ENDPOINTS = {"static", "auth.login", "home.root"}
HTML_UNDER_API = {"/api/docs"}  # a page for signed-in users (the API's description), not a JSON endpoint
SKIPPED_METHODS = {"HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Route:
    rule: Rule
    method: str

    @property
    def endpoint(self) -> str:
        return self.rule.endpoint

    @property
    def blueprint(self) -> str:
        return self.endpoint.rpartition(".")[0]

    @property
    def is_api(self) -> bool:
        return self.rule.rule.startswith("/api/") and self.rule.rule not in HTML_UNDER_API



    @property
    def variables(self) -> list[str]:
        return sorted(self.rule.arguments)

    def __str__(self) -> str:
        return f"{self.method} {self.rule.rule} ({self.endpoint})"


def walkable(app) -> list[Route]:
    routes = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint.endswith(".static"):
            continue
        routes.extend(Route(rule, m) for m in sorted((rule.methods or set()) - SKIPPED_METHODS))
    return routes


def dummy(rule: Rule, name: str):
    return 1 if isinstance(rule._converters.get(name), IntegerConverter) else "x"


def build(route: Route, values: dict) -> str:
    """The path of this exact rule (not another rule of the same endpoint) with the given values."""
    full = {name: values.get(name, dummy(route.rule, name)) for name in route.rule.arguments}
    full.update({k: v for k, v in (route.rule.defaults or {}).items() if k not in full})
    built = route.rule.build(full, append_unknown=False)
    assert built is not None, f"cannot build {route} from {full}"
    return built[1]


def required_roles(view) -> tuple[str, ...] | None:
    """The roles crm.core.permissions.roles_required put on the view, looking through other decorators."""
    while view is not None:
        roles = getattr(view, "required_roles", None)
        if roles is not None:
            return tuple(roles)
        view = getattr(view, "__wrapped__", None)
    return None


def allows(roles: tuple[str, ...], role: str) -> bool:
    """Mirror of crm.core.permissions.has_role: admins may do what managers may."""
    return role in roles or (role == "admin" and "manager" in roles)


def call(client, route: Route, path: str, headers: dict | None = None):
    kwargs = {"headers": headers or {}}
    if route.method in ("POST", "PUT", "PATCH") and route.is_api:
        kwargs["json"] = {}
    return guarded(client.open, path, method=route.method, **kwargs)


def body_text(response) -> str:
    """The body as text; an xlsx/zip export is unpacked so its cells are searched too."""
    data = response.get_data()
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return data.decode("utf-8", "replace")


def call_with(client, route: Route, path: str, **kwargs):
    return guarded(client.open, path, method=route.method, **kwargs)


def guarded(open_, *args, **kwargs):
    """An exception escaping a view (TESTING propagates them) becomes a 500 the walker reports."""
    try:
        return open_(*args, **kwargs)
    except Exception as exc:  # the report names the route; one broken view must not hide the others
        return Response(f"unhandled {type(exc).__name__}: {exc}", status=500)
