"""JSON Schemas of the companies API's bodies and answers, for its OpenAPI description (crm.api.openapi)."""
from crm.api.openapi import DATE, INTEGER, MONEY, TEXT, nullable, obj, schema

_TIER = obj({"tier": TEXT, "year": nullable("integer"), "rank": nullable("integer")}, ("tier",))
_TEXT_FIELDS = ("credit_code", "ownership", "listed_exchange", "listed_code", "hq_province", "hq_city",
                "main_business", "website", "source", "notes")
COMPANY = schema("Company", obj({
    "id": INTEGER, "name": TEXT, "former_names": {"type": "array", "items": TEXT},
    **{f: nullable("string") for f in _TEXT_FIELDS}, "tiers": {"type": "array", "items": _TIER},
    "industry_id": nullable("integer"), "industry": nullable("string"), "registered_capital": MONEY,
    "revenue": MONEY, "officer_id": nullable("integer"), "officer": nullable("string"),
    "tags": {"type": "array", "items": TEXT}, "last_contact_on": DATE, "merged_into_id": nullable("integer"),
    "version": INTEGER, "created_at": nullable("string", format="date-time"),
    "updated_at": nullable("string", format="date-time")}, ("id", "name", "version")))
INPUT = schema("CompanyInput", obj({
    "name": TEXT, **{f: TEXT for f in _TEXT_FIELDS}, "former_names": {"type": "array", "items": TEXT},
    "tags": {"type": "array", "items": TEXT}, "registered_capital": {"type": ["string", "number", "null"]},
    "revenue": {"type": ["string", "number", "null"]}, "industry_id": nullable("integer"),
    "officer_id": nullable("integer"),
    "tiers": {"type": "array", "items": {"oneOf": [TEXT, _TIER]}, "description": "世界500强 2024, or objects"},
    "confirm_distinct": {"type": "boolean", "description": "true: create beside a similar name"},
    "version": {"type": "integer", "description": "the version read (or send If-Match)"}}))
CONTACT = schema("Contact", obj({
    "id": INTEGER, "company_id": INTEGER, "name": TEXT, "title": TEXT, "mobile": TEXT, "phone": TEXT, "email": TEXT,
    "wechat": TEXT, "notes": TEXT, "is_primary": {"type": "boolean"}}, ("id", "company_id", "name")))
CONTACT_INPUT = schema("ContactInput", obj({
    "name": TEXT, "title": TEXT, "mobile": TEXT, "phone": TEXT, "email": TEXT, "wechat": TEXT, "notes": TEXT,
    "is_primary": {"type": "boolean"}}, ("name",)))
CONTACTS = schema("ContactList", obj({"items": {"type": "array", "items": CONTACT}}, ("items",)))
LOG = schema("ContactLog", obj({
    "id": INTEGER, "company_id": INTEGER, "date": {"type": "string", "format": "date"}, "kind": TEXT,
    "officer_id": nullable("integer"), "officer": nullable("string"), "summary": TEXT, "next_step": TEXT,
    "next_follow_up": DATE, "project_id": nullable("integer"), "trip_id": nullable("integer"),
    "contact_ids": {"type": "array", "items": INTEGER}}, ("id", "company_id", "date", "kind", "summary")))
LOG_INPUT = schema("ContactLogInput", obj({
    "date": {"type": "string", "format": "date"}, "kind": TEXT, "summary": TEXT, "next_step": TEXT,
    "next_follow_up": {"type": ["string", "null"], "format": "date"}, "project_id": nullable("integer"),
    "contact_ids": {"type": "array", "items": INTEGER}}, ("date", "kind", "summary")))
LIST_FILTERS = {"q": (TEXT, "name, former name or credit code"), "tier": (TEXT, "tier"),
                "ownership": (TEXT, "ownership"), "industry": (INTEGER, "industry id"),
                "province": (TEXT, "headquarters province"), "officer": (INTEGER, "officer id"),
                "open_project": (TEXT, "1: with an open project"),
                "stale_days": (INTEGER, "not contacted for this many days"), "sort": (TEXT, "sort key as on the page")}
