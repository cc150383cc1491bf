"""JSON Schemas of the projects API's bodies and answers, for its OpenAPI description (crm.api.openapi)."""
from crm.api.openapi import DATE, DATETIME, INTEGER, MONEY, TEXT, nullable, obj, schema
from crm.projects.serialise import DATES, FIELDS
from crm.projects.serialise import MONEY as MONEY_FIELDS
from crm.projects.stages import Stage

STAGE = {"type": "string", "enum": [s.value for s in Stage]}
_TEXTS = ("content", "responsible_unit", "contact_leader", "leader_level", "reserve_level", "source", "notes",
          "local_credit_code", "dropped_reason")
_IDS = ("jobs", "industry_id", "link_id", "officer_id", "event_id")

SUMMARY = schema("ProjectSummary", obj({
    "id": INTEGER, "name": TEXT, "stage": STAGE, "stage_label": TEXT, "counted_stage": STAGE,
    "company": obj({"id": INTEGER, "name": TEXT}, ("id", "name")), "park": nullable("string"),
    "version": INTEGER, "is_late": {"type": "boolean"},
    **{f: nullable("string") for f in FIELDS if f in _TEXTS}, **{f: nullable("integer") for f in FIELDS if f in _IDS},
    **{f: MONEY for f in MONEY_FIELDS}, **{f: DATE for f in DATES}},
    ("id", "name", "stage", "company", "park", "version")))
CHANGE = schema("StageChange", obj({
    "id": INTEGER, "from": STAGE, "to": STAGE, "fact_date": DATE, "facts": {"type": "object"}, "comment": TEXT,
    "actor": nullable("string"), "at": DATETIME, "is_undo": {"type": "boolean"}, "review_status": TEXT,
    "review_comment": TEXT}, ("id", "from", "to", "at")))
FUNDS = schema("FundsEntry", obj({
    "id": INTEGER, "period": {"type": "string", "pattern": r"^\d{4}-\d{2}$"}, "amount": MONEY, "source": TEXT,
    "use": TEXT, "evidence": TEXT, "note": TEXT, "has_attachment": {"type": "boolean"},
    "superseded_by_id": nullable("integer"), "review_status": TEXT, "review_comment": TEXT,
    "entered_by": nullable("string"), "created_at": DATETIME}, ("id", "period", "amount", "source")))
PROBLEM = schema("ProjectProblem", obj({
    "id": INTEGER, "description": TEXT, "category": TEXT, "status": TEXT, "raised_on": DATE, "due_date": DATE,
    "responsible_unit": TEXT, "resolution": TEXT, "resolved_on": DATE, "version": INTEGER},
    ("id", "description", "status")))
DETAIL = schema("Project", {"allOf": [SUMMARY, obj({
    "history": {"type": "array", "items": CHANGE}, "funds": {"type": "array", "items": FUNDS},
    "funds_arrived": MONEY, "funds_arrival_rate": nullable("string"),
    "problems": {"type": "array", "items": PROBLEM}}, ("history", "funds", "funds_arrived", "problems"))]})
INPUT = schema("ProjectInput", obj({
    "name": TEXT, "company_id": INTEGER, "park": {"type": "string", "description": "park code"},
    **{f: TEXT for f in _TEXTS[:-2]}, **{f: {"type": ["string", "number", "null"]} for f in MONEY_FIELDS},
    **{f: {"type": ["string", "null"], "format": "date"} for f in
       ("planned_sign_date", "planned_start_date", "planned_production_date")},
    **{f: nullable("integer") for f in _IDS if f != "event_id"},
    "version": {"type": "integer", "description": "the version read (or send If-Match)"}}))
TRANSITION = schema("TransitionInput", obj({
    "to": STAGE, "date": {"type": "string", "format": "date", "description": "the fact date of the target stage"},
    "reason": {"type": "string", "description": "why, when dropped"}, "comment": TEXT,
    "agreed_investment": {"type": ["string", "number"]}, "event_id": INTEGER}, ("to",)))
MOVED = schema("TransitionAnswer", {"allOf": [CHANGE, obj({"project": SUMMARY, "warnings": {
    "type": "array", "items": TEXT, "description": "a signing's land warnings: 投资强度 below the park's minimum"}},
    ("project",))]})
FUNDS_INPUT = schema("FundsInput", obj({
    "period": {"type": "string", "pattern": r"^\d{4}-\d{2}"}, "amount": {"type": ["string", "number"]},
    "source": TEXT, "use": TEXT, "evidence": TEXT, "note": TEXT,
    "corrects": {"type": "integer", "description": "id of the entry this one supersedes"}}, ("period", "amount")))
FUNDS_LIST = schema("FundsList", obj({"items": {"type": "array", "items": FUNDS}, "funds_arrived": MONEY},
                                     ("items", "funds_arrived")))
PROBLEM_INPUT = schema("ProblemInput", obj({
    "description": TEXT, "category": TEXT, "responsible_unit": TEXT, "due_date": DATE}, ("description",)))
PROBLEM_LIST = schema("ProblemList", obj({"items": {"type": "array", "items": PROBLEM}}, ("items",)))
LIST_FILTERS = {"q": (TEXT, "search in project and company names"), "stage": (STAGE, "stage"),
                "park": (TEXT, "park code (its bases included)"), "event": (INTEGER, "event id"),
                "industry": (INTEGER, "industry id"), "officer": (INTEGER, "officer id"),
                "leader": (TEXT, "contact leader"), "amount": (TEXT, "agreed investment band, as on the page"),
                "late": (TEXT, "1: late projects only"), "problems": (TEXT, "1: with open problems only")}
