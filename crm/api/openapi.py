"""The OpenAPI 3.1 description of /api/v1, built with apispec from the routes themselves.

Every /api/v1 rule of the app is described: its path parameters from the rule's converters, its summary from
the view's docstring, and what a view declares with `documented` (query parameters, request and answer
schemas, extra statuses). A route that declares nothing still appears, with an open object as its answer, so
no route is ever missing from the document. The schemas are JSON Schema (2020-12, as OpenAPI 3.1 uses), kept
beside the views that answer with them through `schema`.
"""
import re
from dataclasses import dataclass, field

from apispec import APISpec
from flask import Flask

PREFIX = "/api/v1"
_SCHEMAS: dict[str, dict] = {}
_ARGUMENT = re.compile(r"<(?:(?P<converter>[a-z]+):)?(?P<name>[a-z_]+)>")
_TYPES = {"int": {"type": "integer"}, "float": {"type": "number"}}


def schema(name: str, definition: dict) -> dict:
    """Register a component schema (by name, once per module import) and return a reference to it."""
    _SCHEMAS[name] = definition
    return ref(name)


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def obj(properties: dict, required: tuple = (), **extra) -> dict:
    """An object with these properties; others may follow (answers grow without breaking clients)."""
    return {"type": "object", "properties": properties, "required": list(required), **extra}


MONEY = {"type": ["string", "null"], "pattern": r"^-?\d+(\.\d+)?$", "description": "万元, decimal text"}
DATE = nullable("string", format="date")
DATETIME = {"type": "string", "format": "date-time"}
TEXT = {"type": "string"}
INTEGER = {"type": "integer"}


@dataclass
class Doc:
    query: dict = field(default_factory=dict)  # name -> (schema, description)
    body: dict | None = None
    answer: dict | None = None
    status: int = 200
    lists: bool = False  # a paginated list whose items are `answer`
    errors: tuple = ()  # statuses beyond those every route may give
    binary: str = ""  # a file answer's media type instead of JSON


def documented(**kwargs):
    """Declare what an API view takes and answers; write it under the route decorator."""
    def mark(view):
        view.api_doc = Doc(**kwargs)
        return view
    return mark


def _problem_schema() -> dict:
    return obj({"type": TEXT, "title": TEXT, "status": INTEGER, "detail": TEXT, "code": TEXT,
                "errors": {"type": "object", "additionalProperties": TEXT,
                           "description": "the refused fields, each with its message in the user's language"}},
               ("type", "title", "status", "detail", "code", "errors"))


def _page_schema(item: dict) -> dict:
    return obj({"items": {"type": "array", "items": item}, "total": INTEGER, "page": INTEGER, "per_page": INTEGER,
                "total_capped": {"type": "boolean"}, "next": nullable("string", description="path of the next page"),
                "next_after": TEXT}, ("items", "total", "page", "per_page"))


PAGE_PARAMETERS = {"page": ({"type": "integer", "minimum": 1}, "page number, from 1"),
                   "per_page": ({"type": "integer", "minimum": 1, "maximum": 200}, "items per page"),
                   "after": (TEXT, "keyset cursor (next_after) of the big lists")}
PROBLEM_ANSWER = {"content": {"application/problem+json": {"schema": ref("Problem")}}}
STATUS_TEXT = {200: "OK", 201: "Created", 204: "No content", 304: "Not modified (If-None-Match)",
               400: "Bad request", 401: "No valid token", 403: "Not allowed for this user or token",
               404: "Not found or out of the user's scope", 409: "Conflicts with the current state",
               412: "If-Match names an older state", 422: "Invalid input (field errors inside)",
               428: "If-Match or version required", 429: "Too many requests (Retry-After)"}


def _parameters(rule, method: str, doc: Doc) -> list[dict]:
    found = [{"name": m["name"], "in": "path", "required": True,
              "schema": _TYPES.get(m["converter"] or "", {"type": "string"})} for m in _ARGUMENT.finditer(rule.rule)]
    query = {**(PAGE_PARAMETERS if doc.lists else {}), **doc.query}
    found += [{"name": name, "in": "query", "required": False, "schema": s, "description": text}
              for name, (s, text) in query.items()]
    if method in ("PATCH", "PUT", "DELETE"):
        found.append({"name": "If-Match", "in": "header", "required": False, "schema": TEXT,
                      "description": "the ETag read; 412 when the object changed since"})
    if method == "POST":
        found.append({"name": "Idempotency-Key", "in": "header", "required": False, "schema": TEXT,
                      "description": "a retry with the same key within 24 hours gets the first answer"})
    return found


def _answer(doc: Doc, method: str) -> dict:
    if doc.status == 204:
        return {"description": STATUS_TEXT[204]}
    if doc.binary:
        return {"description": STATUS_TEXT.get(doc.status, "OK"),
                "content": {doc.binary: {"schema": {"type": "string", "contentMediaType": doc.binary}}}}
    body = doc.answer or {"type": "object"}
    answer = {"description": STATUS_TEXT.get(doc.status, "OK"),
              "content": {"application/json": {"schema": _page_schema(body) if doc.lists else body}}}
    if method == "GET":
        answer["headers"] = {"ETag": {"schema": TEXT, "description": "the object's version, for If-Match"}}
    return answer


def _operation(view, rule, method: str) -> dict:
    doc = getattr(view, "api_doc", None) or Doc()
    lines = (view.__doc__ or "").strip().splitlines()
    operation = {"operationId": f"{rule.endpoint}.{method.lower()}", "summary": lines[0] if lines else rule.endpoint,
                 "tags": [rule.rule.removeprefix(PREFIX).strip("/").split("/")[0] or "api"],
                 "parameters": _parameters(rule, method, doc), "responses": {str(doc.status): _answer(doc, method)}}
    if len(lines) > 1:
        operation["description"] = " ".join(line.strip() for line in lines[1:]).strip()
    if method in ("POST", "PATCH", "PUT"):
        operation["requestBody"] = {"required": doc.body is not None or method != "POST", "content": {
            "application/json": {"schema": doc.body or {"type": "object"}}}}
    statuses = {401, 403, 404, 429, *doc.errors}
    if method in ("POST", "PATCH", "PUT"):
        statuses |= {400, 422}
    if method in ("PATCH", "PUT", "DELETE"):
        statuses |= {412}
    for status in sorted(statuses):
        operation["responses"][str(status)] = {"description": STATUS_TEXT.get(status, "Error"), **PROBLEM_ANSWER}
    return operation


def build(app: Flask) -> dict:
    spec = APISpec(title="招商引资管理系统 API", version="1", openapi_version="3.1.0",
                   info={"description": "Every answer is JSON; errors are application/problem+json (RFC 9457). "
                                        "Money is decimal text in 万元, rates numbers in percent with two decimals, "
                                        "dates ISO 8601. See docs/api.md."},
                   servers=[{"url": "/"}], security=[{"token": []}])
    spec.components.security_scheme("token", {"type": "http", "scheme": "bearer",
                                              "description": "a personal access token (profile page or admin)"})
    spec.components.schema("Problem", _problem_schema())
    for name, definition in sorted(_SCHEMAS.items()):
        spec.components.schema(name, definition)
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        view = app.view_functions[rule.endpoint]
        path = _ARGUMENT.sub(lambda m: "{" + m["name"] + "}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(view, rule, method)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
