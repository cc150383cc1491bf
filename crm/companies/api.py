"""/api/v1/companies: list (same filters and search as the page), create, read, update, contacts, logs."""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from crm.api.base import api_blueprint, field_date, field_money, field_str, json_body, page_json
from crm.api.openapi import documented
from crm.companies import api_schemas as schemas
from crm.companies import listing, queries, services
from crm.companies.models import Company
from crm.companies.serialise import company_json, contact_json, log_json
from crm.contacts import queries as contact_queries
from crm.contacts import services as contact_services
from crm.core.db import utcnow
from crm.core.errors import APIError
from crm.core.formatting import local_today
from crm.core.pagination import page_args
from crm.core.params import INT_MAX, INT_MIN, body_int, body_int_list
from crm.core.permissions import Role, has_role
from crm.core.scope import get_visible_or_404
from crm.extensions import db
from crm.matching.classify import classification

bp = api_blueprint("companies_api", __name__)
TEXT_FIELDS = {"name": 200, "credit_code": 40, "ownership": 10, "listed_exchange": 40, "listed_code": 20,
               "hq_province": 40, "hq_city": 40, "main_business": 5000, "website": 200, "source": 80,
               "notes": 10000}


def _require(*roles) -> None:
    if not has_role(current_user, *roles):
        raise APIError(403, "forbidden", _("您没有权限执行此操作。"))


def _list_of_str(data: dict, key: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise APIError(422, "invalid", _("字段类型错误。"), {key: _("应为文本列表")})
    return value


def _optional_int(data: dict, key: str) -> int | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not INT_MIN <= value <= INT_MAX:
        raise APIError(422, "invalid", _("字段类型错误。"), {key: _("应为整数")})
    return value


# API names of columns named otherwise: the industry as the company writes it, and its GB/T 4754 code.
RENAMED = {"industry": ("industry_text", 80), "industry_code": ("gbt_code", 5)}


def _company_values(data: dict) -> dict:
    """Only the keys present in the body, typed; the service checks the business rules."""
    values = {k: field_str(data, k, n) for k, n in TEXT_FIELDS.items() if k in data}
    values.update({column: field_str(data, key, n) for key, (column, n) in RENAMED.items() if key in data})
    if values.get("gbt_code") and classification().get(values["gbt_code"]) is None:
        raise APIError(422, "invalid", _("不是 GB/T 4754-2017 的行业代码。"),
                       {"industry_code": _("不是 GB/T 4754-2017 的行业代码（如 3825）")})
    for key in ("registered_capital", "revenue"):
        if key in data:
            values[key] = field_money(data, key)
    for key in ("former_names", "aliases", "tags"):
        if key in data:
            values[key] = _list_of_str(data, key)
    for key in ("industry_id", "officer_id"):
        if key in data:
            values[key] = _optional_int(data, key)
    return values


def _tiers(data: dict):
    tiers = data.get("tiers") or []
    if not isinstance(tiers, list):
        raise APIError(422, "invalid", _("字段类型错误。"), {"tiers": _("应为列表")})
    result = []
    for t in tiers:
        if isinstance(t, str):
            result += services.parse_tiers(t)
        elif isinstance(t, dict) and isinstance(t.get("tier"), str):
            result.append((t["tier"], _optional_int(t, "year")))
        else:
            raise APIError(422, "invalid", _("字段类型错误。"), {"tiers": _("榜单格式无效")})
    return result


def _company(company_id: int) -> Company:
    return get_visible_or_404(db.session, queries.company_by_id(current_user, company_id))


@bp.get("/companies")
@documented(query=schemas.LIST_FILTERS, answer=schemas.COMPANY, lists=True)
def companies():
    """Companies in the user's scope, searched and filtered as on the company list."""
    filters = queries.parse_filters(request.args)
    page_no, per_page = page_args()
    page = listing.page(db.session, current_user, filters, today=local_today(utcnow()), page_no=page_no,
                        per_page=per_page, load=listing.api_rows, after=request.args.get("after"))
    return jsonify(page_json(page, lambda item: item))  # the items are already their JSON


@bp.post("/companies")
@documented(body=schemas.INPUT, answer=schemas.COMPANY, status=201, errors=(409,))
def create_company():
    """Create a company; a likely duplicate answers 409 with duplicate_of."""
    _require(Role.officer, Role.manager)
    data = json_body()
    company = services.create_company(_company_values(data), actor=current_user,
                                      confirm_distinct=data.get("confirm_distinct") is True, tiers=_tiers(data))
    db.session.commit()
    return jsonify(company_json(company)), 201


@bp.get("/companies/<int:company_id>")
@documented(answer=schemas.COMPANY)
def company(company_id: int):
    """A company."""
    return jsonify(company_json(_company(company_id)))


@bp.patch("/companies/<int:company_id>")
@documented(body=schemas.INPUT, answer=schemas.COMPANY, errors=(409,))
def update_company(company_id: int):
    """Change a company's fields (tiers replaced when given)."""
    _require(Role.officer, Role.manager)
    target = _company(company_id)
    data = json_body()
    try:
        services.update_company(target, _company_values(data), actor=current_user, version=body_int(data, "version"),
                                confirm_distinct=data.get("confirm_distinct") is True)
        if "tiers" in data:
            services.set_tiers(target, _tiers(data), actor=current_user, replace=True)
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise APIError(409, "conflict", _("该企业已被他人修改，请刷新后重试。")) from exc
    return jsonify(company_json(target))


@bp.get("/companies/<int:company_id>/contacts")
@documented(answer=schemas.CONTACTS)
def contacts(company_id: int):
    """A company's contacts."""
    return jsonify({"items": [contact_json(c) for c in _company(company_id).contacts]})


@bp.post("/companies/<int:company_id>/contacts")
@documented(body=schemas.CONTACT_INPUT, answer=schemas.CONTACT, status=201)
def add_contact(company_id: int):
    """Add a contact person to a company."""
    _require(Role.officer, Role.manager)
    target = _company(company_id)
    data = json_body()
    values = {k: field_str(data, k, n) for k, n in
              {"name": 80, "title": 80, "mobile": 20, "phone": 40, "email": 200, "wechat": 80, "notes": 5000}.items()
              if k in data}
    if "is_primary" in data:
        values["is_primary"] = data["is_primary"] is True
    contact = contact_services.add_contact(target, values, actor=current_user)
    db.session.commit()
    return jsonify(contact_json(contact)), 201


@bp.get("/companies/<int:company_id>/logs")
@documented(answer=schemas.LOG, lists=True)
def logs(company_id: int):
    """A company's contact logs, newest first."""
    target = _company(company_id)
    return jsonify(page_json(contact_queries.company_log_page(target.id, *page_args()), lambda item: item))


@bp.post("/companies/<int:company_id>/logs")
@documented(body=schemas.LOG_INPUT, answer=schemas.LOG, status=201)
def add_log(company_id: int):
    """Record a contact with a company (visit, call ...)."""
    _require(Role.officer, Role.manager)
    target = _company(company_id)
    data = json_body()
    contact_ids = body_int_list(data, "contact_ids")
    values = {"date": field_date(data, "date", required=True), "kind": field_str(data, "kind", 10, required=True),
              "summary": field_str(data, "summary", 10000, required=True),
              "next_step": field_str(data, "next_step", 5000),
              "next_follow_up": field_date(data, "next_follow_up"),
              "project_id": _optional_int(data, "project_id"), "contact_ids": contact_ids}
    log = contact_services.add_log(target, values, actor=current_user)
    body = log_json(log)  # before the commit expires the log: reading it back would cost three queries
    db.session.commit()
    return jsonify(body), 201
