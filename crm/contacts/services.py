"""Writes on contacts, contact logs and recruitment trips (they flush; callers commit)."""
import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from crm.companies.models import Company, Contact, ContactLog, LogKind, Trip
from crm.core import audit
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.core.params import EARLIEST, LATEST, parse_int
from crm.core.permissions import Role, has_role
from crm.extensions import db

CONTACT_FIELDS = ("name", "title", "mobile", "phone", "email", "wechat", "notes", "is_primary")
TRIP_FIELDS = ("title", "leader_name", "leader_level", "members", "destination", "start_date", "end_date",
               "results", "next_steps")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_mobile(text: str) -> str:
    digits = re.sub(r"[\s\-()]", "", text or "")
    return digits.removeprefix("+86").removeprefix("0086") if digits else ""


def _clean_contact(data: dict) -> dict:
    values = {k: data[k] for k in CONTACT_FIELDS if k in data}
    errors = {}
    for key in ("name", "title", "phone", "email", "wechat", "notes"):
        if key in values:
            values[key] = (values[key] or "").strip()
    if "name" in values and not values["name"]:
        errors["name"] = _("请填写联系人姓名。")
    if values.get("mobile"):
        values["mobile"] = normalise_mobile(values["mobile"])
        if not _MOBILE.match(values["mobile"]):
            errors["mobile"] = _("手机号应为 11 位中国大陆手机号码。")
    if values.get("email") and not _EMAIL.match(values["email"]):
        errors["email"] = _("邮箱格式不正确。")
    if errors:
        raise ServiceError(next(iter(errors.values())), errors, status=422)
    return values


def _one_primary(contact: Contact) -> None:
    if contact.is_primary:
        db.session.execute(update(Contact).where(Contact.company_id == contact.company_id, Contact.id != contact.id)
                           .values(is_primary=False))


def _refuse_merged(company: Company) -> None:
    """A merged company is only a pointer to the kept one: what is written on it would be hidden from
    every list and page, which show the kept company alone."""
    if company.merged_into_id is not None:
        raise ServiceError(_("该企业已并入其他企业，请在保留的企业上操作。"), status=404, code="not_found")


def add_contact(company: Company, data: dict, *, actor) -> Contact:
    _refuse_merged(company)
    values = _clean_contact({"name": "", **data})
    if not company.contacts and "is_primary" not in data:
        values["is_primary"] = True  # the first contact is the primary one until told otherwise
    contact = Contact(company_id=company.id, **values)
    db.session.add(contact)
    db.session.flush()
    _one_primary(contact)
    db.session.expire(company, ["contacts"])
    audit.record("create", contact, actor=actor, summary=_("新增联系人：%(name)s（%(company)s）",
                                                           name=contact.name, company=company.name))
    return contact


def update_contact(contact: Contact, data: dict, *, actor) -> dict:
    values = _clean_contact(data)
    before = audit.snapshot(contact, list(values))
    for key, value in values.items():
        setattr(contact, key, value)
    db.session.flush()
    _one_primary(contact)
    changes = audit.diff(contact, list(values), before)
    if changes:
        audit.record("update", contact, actor=actor, summary=_("修改联系人：%(name)s", name=contact.name),
                     changes=changes)
    return changes


def delete_contact(contact: Contact, *, actor) -> None:
    audit.record("delete", contact, actor=actor, summary=_("删除联系人：%(name)s", name=contact.name))
    db.session.delete(contact)
    db.session.flush()


def can_edit_log(user, log: ContactLog) -> bool:
    return has_role(user, Role.manager) or (has_role(user, Role.officer) and log.officer_id == user.id)


def _log_date_errors(data: dict) -> dict:
    errors = {}
    day, follow = data.get("date"), data.get("next_follow_up")
    if not isinstance(day, date):
        errors["date"] = _("请填写接洽日期。")
    elif not EARLIEST <= day <= local_today(utcnow()):  # it has happened: a future date silences the reminders
        errors["date"] = _("接洽日期应在 %(low)s 至今天之间。", low=EARLIEST)
    if follow and isinstance(day, date) and follow < day:
        errors["next_follow_up"] = _("下次跟进日期不能早于接洽日期。")
    elif follow and follow > LATEST:
        errors["next_follow_up"] = _("日期不能晚于 %(d)s。", d=LATEST)
    return errors


def _clean_log(company: Company, data: dict) -> dict:
    errors = _log_date_errors(data)
    if data.get("kind") not in {k.value for k in LogKind}:
        errors["kind"] = _("接洽方式无效。")
    if not (data.get("summary") or "").strip():
        errors["summary"] = _("请填写洽谈内容。")
    follow = data.get("next_follow_up")
    if errors:
        raise ServiceError(next(iter(errors.values())), errors, status=422)
    try:
        contact_ids = {parse_int(i, low=1) for i in data.get("contact_ids") or []}
        project_id = parse_int(data["project_id"], low=1) if data.get("project_id") else None
    except (ValueError, TypeError):
        raise ServiceError(_("所选联系人或项目无效。"), {"contact_ids": _("联系人无效")}, status=422) from None
    contacts = db.session.scalars(select(Contact).where(Contact.id.in_(contact_ids),
                                                        Contact.company_id == company.id)).all() if contact_ids else []
    if len(contacts) != len(contact_ids):
        raise ServiceError(_("所选联系人不属于该企业。"), {"contact_ids": _("联系人无效")}, status=422)
    if project_id is not None:
        _check_project(company, project_id)
    return {"date": data["date"], "kind": data["kind"], "summary": data["summary"].strip(),
            "next_step": (data.get("next_step") or "").strip(), "next_follow_up": follow or None,
            "project_id": project_id, "contacts": list(contacts)}


def _check_project(company: Company, project_id: int) -> None:
    from crm.projects.models import Project

    if db.session.scalar(select(Project.company_id).where(Project.id == project_id)) != company.id:
        raise ServiceError(_("所选项目不属于该企业。"), {"project_id": _("项目无效")}, status=422)


# A contact logged is not an edit of the company: its 更新时间 stays, and so do its matching terms, which
# would otherwise be recomputed (jieba, a write) by the next match request after every logged call.
_NOT_AN_EDIT = {"updated_at": Company.updated_at}


def refresh_last_contact(company_id: int) -> None:
    """Company.last_contact_on = newest log date, so "no contact for N days" is one indexed comparison."""
    newest = db.session.scalar(select(func.max(ContactLog.date)).where(ContactLog.company_id == company_id))
    db.session.execute(update(Company).where(Company.id == company_id).values(last_contact_on=newest, **_NOT_AN_EDIT)
                       .execution_options(synchronize_session="fetch"))


def _advance_last_contact(company_id: int, day: date) -> None:
    """A new log newer than the company's last contact is its last contact now: no need to look for the newest
    log. The condition keeps a later date written meanwhile by another request."""
    db.session.execute(update(Company).where(Company.id == company_id, or_(Company.last_contact_on.is_(None),
                                                                           Company.last_contact_on < day))
                       .values(last_contact_on=day, **_NOT_AN_EDIT).execution_options(synchronize_session="fetch"))


def add_log(company: Company, data: dict, *, actor, trip: Trip | None = None, officer=None) -> ContactLog:
    """The officer is the actor unless an import names another one."""
    _refuse_merged(company)
    values = _clean_log(company, data)
    log = ContactLog(company_id=company.id, officer_id=getattr(officer or actor, "id", None),
                     trip_id=trip.id if trip else None, **values)
    db.session.add(log)
    db.session.flush()
    if company.last_contact_on is None or log.date > company.last_contact_on:
        _advance_last_contact(company.id, log.date)
    audit.record("create", log, actor=actor, summary=_("新增接洽记录：%(company)s %(date)s %(kind)s",
                                                       company=company.name, date=log.date, kind=log.kind))
    return log


def update_log(log: ContactLog, data: dict, *, actor) -> dict:
    if not can_edit_log(actor, log):
        raise ServiceError(_("只能修改自己的接洽记录。"), status=403, code="forbidden")
    values = _clean_log(log.company, {**{"date": log.date, "kind": log.kind, "summary": log.summary,
                                         "next_step": log.next_step, "next_follow_up": log.next_follow_up,
                                         "project_id": log.project_id,
                                         "contact_ids": [c.id for c in log.contacts]}, **data})
    fields = ["date", "kind", "summary", "next_step", "next_follow_up", "project_id"]
    before = audit.snapshot(log, fields)
    for key, value in values.items():
        setattr(log, key, value)
    db.session.flush()
    refresh_last_contact(log.company_id)
    changes = audit.diff(log, fields, before)
    if changes:
        audit.record("update", log, actor=actor, summary=_("修改接洽记录"), changes=changes)
    return changes


def _clean_trip(data: dict) -> dict:
    values = {k: data[k] for k in TRIP_FIELDS if k in data}
    for key, value in values.items():
        if isinstance(value, str):
            values[key] = value.strip()
    if "title" in values and not values["title"]:
        raise ServiceError(_("请填写出访名称。"), {"title": _("必填")}, status=422)
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        raise ServiceError(_("结束日期不能早于开始日期。"), {"end_date": _("日期无效")}, status=422)
    return values


def create_trip(data: dict, *, actor) -> Trip:
    trip = Trip(**_clean_trip({"title": "", **data}), created_by_id=getattr(actor, "id", None))
    db.session.add(trip)
    db.session.flush()
    audit.record("create", trip, actor=actor, summary=_("新建外出招商：%(title)s", title=trip.title))
    return trip


def update_trip(trip: Trip, data: dict, *, actor) -> dict:
    values = _clean_trip(data)
    before = audit.snapshot(trip, list(values))
    for key, value in values.items():
        setattr(trip, key, value)
    db.session.flush()
    changes = audit.diff(trip, list(values), before)
    if changes:
        audit.record("update", trip, actor=actor, summary=_("修改外出招商：%(title)s", title=trip.title),
                     changes=changes)
    return changes
