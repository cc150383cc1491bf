"""Project verbs for its own fields: parse submitted values, create, and edit with a version check."""
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from crm.auth.models import User
from crm.companies.models import Company
from crm.core import audit
from crm.core.errors import ServiceError
from crm.core.formatting import parse_money
from crm.core.params import parse_int, version_of
from crm.core.permissions import Role, has_role
from crm.extensions import db
from crm.matching.classify import classification
from crm.parks.models import ChainLink, Industry, Park
from crm.projects.models import Project
from crm.projects.stages import Stage

TEXT_FIELDS = {"name": 200, "content": 5000, "responsible_unit": 120, "contact_leader": 80, "leader_level": 10,
               "reserve_level": 10, "source": 20, "notes": 5000, "gbt_code": 5}
MONEY_FIELDS = ("agreed_investment", "fixed_asset_investment", "land_mu", "planned_output", "energy_use")
DATE_FIELDS = ("planned_sign_date", "planned_start_date", "planned_production_date")
ID_FIELDS = {"company_id": Company, "park_id": Park, "industry_id": Industry, "link_id": ChainLink,
             "officer_id": User, "event_id": None}
EDITABLE = [*TEXT_FIELDS, *MONEY_FIELDS, *DATE_FIELDS, "jobs", *[f for f in ID_FIELDS if f != "event_id"]]
LEADER_LEVELS = ("省", "市州", "县")
RESERVE_LEVELS = ("省级", "市州级", "县级")
SOURCES = {"fair": "展会", "visit": "拜访", "roadshow": "推介会", "referral": "中介推荐"}


CHOICES = {"leader_level": LEADER_LEVELS, "reserve_level": RESERVE_LEVELS, "source": tuple(SOURCES)}


def _text(field: str, value) -> str:
    text = str(value or "").strip()
    if field == "gbt_code" and text:
        text = text.upper()
        if classification().get(text) is None:
            raise ValueError(_("不是 GB/T 4754-2017 的行业代码（如 3825）"))
    if field in CHOICES and text and text not in CHOICES[field]:
        raise ValueError(_("应为：%(c)s", c="、".join(CHOICES[field])))
    if len(text) > TEXT_FIELDS[field]:
        raise ValueError(_("不超过 %(n)s 个字符", n=TEXT_FIELDS[field]))
    return text


def _one(field: str, value):
    if field in TEXT_FIELDS:
        return _text(field, value)
    if value in (None, ""):
        return None
    if field in MONEY_FIELDS:
        amount = parse_money(value)
        if amount is not None and amount < 0:
            raise ValueError(_("不能为负数"))
        return amount
    if field in DATE_FIELDS:
        return value if isinstance(value, date) else date.fromisoformat(str(value).strip())
    number = parse_int(value, low=0 if field == "jobs" else 1)
    if field == "jobs":
        if number < 0:
            raise ValueError(_("不能为负数"))
        return number
    model = ID_FIELDS[field]
    if model is not None and db.session.get(model, number) is None:
        raise ValueError(_("不存在"))
    return number


def parse_values(data: dict, *, park_code: str | None = None) -> dict:
    """Raw form or JSON values to typed ones; every bad field reported at once (422)."""
    values, errors = {}, {}
    if park_code:
        park_id = db.session.scalar(select(Park.id).where(Park.code == park_code.strip()))
        if park_id is None:
            errors["park"] = _("园区代码不存在")
        values["park_id"] = park_id
    for field in EDITABLE:
        if field in data and not (field == "park_id" and park_code):
            try:
                values[field] = _one(field, data[field])
            except (ValueError, TypeError, ArithmeticError) as exc:
                errors[field] = str(exc) if str(exc) and "Invalid" not in str(exc) else _("格式无效")
    if errors:
        raise ServiceError(_("请更正标出的字段。"), errors, status=422)
    return values


def create_project(*, actor, values: dict, now: datetime) -> Project:
    if not (has_role(actor, Role.manager) or actor.role == Role.officer):
        raise ServiceError(_("只有招商专员和领导可以新建项目。"), status=403, code="forbidden")
    missing = {f: _("必填") for f in ("name", "company_id", "park_id") if not values.get(f)}
    if missing:
        raise ServiceError(_("请填写项目名称、企业和园区。"), missing, status=422)
    company = db.session.get(Company, values["company_id"])
    if company.merged_into_id:  # the duplicate was merged: the project belongs to the kept record
        values["company_id"] = company.merged_into_id
    project = Project(stage=Stage.lead, counted_stage=Stage.lead, created_by_id=actor.id, updated_by_id=actor.id,
                      created_at=now, updated_at=now)
    for field, value in values.items():
        setattr(project, field, value)
    if project.officer_id is None and actor.role == Role.officer:
        project.officer_id = actor.id
    db.session.add(project)
    db.session.flush()
    audit.record("project.create", project, actor=actor, summary=project.name,
                 changes={f: [None, v] for f, v in values.items()})
    return project


def can_edit(user) -> bool:
    return has_role(user, Role.manager) or user.role == Role.officer


def update_project(project: Project, *, actor, version: int | None, values: dict, original: dict | None = None,
                   now: datetime) -> dict:
    """Refuse a save made on an older version (409) and name the fields someone changed meanwhile."""
    if not can_edit(actor):
        raise ServiceError(_("您没有权限修改项目信息。"), status=403, code="forbidden")
    version = version_of(version)
    if version is None or version != project.version:
        changed = changed_since(project, original or {})
        names = "、".join(changed) if changed else _("项目阶段或其他信息")
        raise ServiceError(_("保存被拒绝：此项目已被他人修改（%(f)s），请查看最新内容后重新修改。", f=names),
                           {f: _("已被他人修改") for f in changed}, status=409, code="stale")
    fields = [f for f in values if f in EDITABLE]
    before = audit.snapshot(project, fields)
    for field in fields:
        setattr(project, field, values[field])
    changes = audit.diff(project, fields, before)
    if changes:
        project.updated_by_id = actor.id
        project.updated_at = now
        audit.record("project.update", project, actor=actor, summary=project.name, changes=changes)
        db.session.flush()
    return changes


def changed_since(project: Project, original: dict) -> list[str]:
    """Fields whose stored value differs from what the editor saw when the form was opened."""
    return [f for f, seen in original.items() if f in EDITABLE and str(_display(getattr(project, f))) != str(seen)]


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def snapshot_for_form(project: Project) -> dict:
    return {f: _display(getattr(project, f)) for f in EDITABLE}
