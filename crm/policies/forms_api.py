"""Documents' and clauses' values from JSON bodies, checked field by field (422 with the field's error)."""
from datetime import date

from flask_babel import gettext as _

from crm.api.base import field_date, field_str
from crm.core.errors import APIError
from crm.extensions import db
from crm.policies.models import TAGS, PolicyDocument, PolicyLevel, PolicyStatus
from crm.policies.services import DOCUMENT_FIELDS, DocumentValues


def _codes(data: dict, key: str, default: list[str]) -> list[str]:
    value = data.get(key, default)
    if not isinstance(value, list) or not all(isinstance(v, str) and 0 < len(v) <= 80 for v in value):
        raise APIError(422, "invalid", _("应为文本列表。"), {key: _("应为文本列表")})
    return value


def _year(data: dict, default: int | None) -> int | None:
    value = data.get("year", default)
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and 1949 <= value <= 2100):
        return value
    raise APIError(422, "invalid", _("年份无效。"), {"year": _("应为 1949–2100 的整数")})


def _choice(data: dict, key: str, default: str, allowed) -> str:
    value = data.get(key, default)
    if value not in {str(a) for a in allowed}:
        raise APIError(422, "invalid", _("取值无效。"), {key: "、".join(str(a) for a in allowed)})
    return value


def _current(document: PolicyDocument | None) -> DocumentValues:
    if document is None:
        return DocumentValues(key="", title="")
    return DocumentValues(**{name: getattr(document, name) for name in DOCUMENT_FIELDS})


def document_values(data: dict, document: PolicyDocument | None = None) -> DocumentValues:
    """The body's values over the document's current ones (every required one for a new document)."""
    now = _current(document)

    def text(key: str, length: int, required: bool = False) -> str:
        return field_str(data, key, length, required=required) if key in data or document is None else getattr(now, key)

    def day(key: str) -> date | None:
        return field_date(data, key) if key in data else getattr(now, key)

    return DocumentValues(
        key=text("key", 40, True), title=text("title", 300, True), issuer=text("issuer", 200),
        number=text("number", 80), level=_choice(data, "level", now.level, PolicyLevel), year=_year(data, now.year),
        issued_on=day("issued_on"), effective_on=day("effective_on"), expires_on=day("expires_on"),
        status=_choice(data, "status", now.status, PolicyStatus), replaced_by_id=_replaced_by(data, now),
        regions=_codes(data, "regions", now.regions), parks=_codes(data, "parks", now.parks),
        industries=_codes(data, "industries", now.industries), source=text("source", 255), notes=text("notes", 5000))


def _replaced_by(data: dict, now: DocumentValues) -> int | None:
    value = data.get("replaced_by_id", now.replaced_by_id)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not db.session.get(PolicyDocument, value):
        raise APIError(422, "invalid", _("替代文件不存在。"), {"replaced_by_id": _("应为库中文件的编号")})
    return value


def clause_values(data: dict) -> dict:
    values: dict = {}
    if "heading" in data:
        values["heading"] = field_str(data, "heading", 200)
    if "text" in data:
        values["text"] = field_str(data, "text", 20000, required=True)
    if "tags" in data:
        tags = _codes(data, "tags", [])
        unknown = [t for t in tags if t not in TAGS]
        if unknown:
            raise APIError(422, "invalid", _("标签无效。"), {"tags": "、".join(unknown)})
        values["tags"] = tags
    for key in ("terms", "duties"):
        if key in data:
            if not isinstance(data[key], list) or not all(isinstance(t, dict) for t in data[key]):
                raise APIError(422, "invalid", _("应为对象列表。"), {key: _("应为对象列表")})
            values[key] = data[key]
    return values
