"""JSON Schemas of the events API's bodies and answers, for its OpenAPI description (crm.api.openapi)."""
from crm.api.openapi import DATE, INTEGER, TEXT, nullable, obj, ref, schema

_FIELDS = {"name": TEXT, "edition": TEXT, "year": {"type": "integer", "minimum": 1990, "maximum": 2100},
           "start_date": DATE, "end_date": DATE, "place": TEXT, "organiser": TEXT}
EVENT = schema("Event", obj({"id": INTEGER, "type": nullable("string"), "type_name": nullable("string"),
                             **_FIELDS, "version": INTEGER}, ("id", "name", "type", "year", "version")))
DETAIL = schema("EventDetail", {"allOf": [EVENT, obj({"projects": {"type": "array", "items": ref("ProjectSummary")}},
                                                     ("projects",))]})
INPUT = schema("EventInput", obj({
    "type": {"type": "string", "description": "the type's code or name: QINGQIA or 青洽会"},
    "type_id": INTEGER, **_FIELDS, "version": {"type": "integer", "description": "the version read (or If-Match)"}},
    description="name, type and year are required on create; an edit changes only the fields it sends"))
SIGNING = obj({
    "company_name": TEXT, "company_id": {"type": "integer", "description": "an existing company instead of the name"},
    "credit_code": TEXT, "project_name": TEXT, "name": {"type": "string", "description": "same as project_name"},
    "park": {"type": "string", "description": "park code or name"},
    "agreed_investment": {"type": ["string", "number"], "description": "万元"},
    "signed_date": {"type": "string", "format": "date", "description": "the event's first day when left out"},
    "industry": TEXT}, ("project_name", "park", "agreed_investment"))
SIGNINGS = schema("SigningsInput", obj({"projects": {"type": "array", "items": SIGNING, "minItems": 1,
                                                     "maxItems": 1000}}, ("projects",)))
SIGNED = schema("SigningsAnswer", obj({"event": EVENT, "items": {"type": "array", "items": ref("ProjectSummary")},
                                       "total": INTEGER}, ("event", "items", "total")))
LIST_FILTERS = {"year": (INTEGER, "year"), "type": (TEXT, "event type code")}
