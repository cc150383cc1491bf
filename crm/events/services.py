"""Event verbs: create, edit and delete an event (managers and officers)."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.core import audit
from crm.core.errors import ServiceError
from crm.core.params import parse_int
from crm.core.permissions import Role, has_role
from crm.events.models import Event, EventType
from crm.extensions import db
from crm.projects.models import Project

FIELDS = ("type_id", "name", "edition", "year", "start_date", "end_date", "place", "organiser")


def _check(actor, values: dict) -> None:
    if not has_role(actor, Role.manager, Role.officer):
        raise ServiceError(_("只有领导和招商专员可以维护展会活动。"), status=403, code="forbidden")
    errors = {}
    if not (values.get("name") or "").strip():
        errors["name"] = _("必填")
    try:
        type_id = parse_int(values.get("type_id"), low=1)
    except ValueError:
        type_id = None
    if type_id is None or db.session.get(EventType, type_id) is None:
        errors["type_id"] = _("请选择类型")
    if not isinstance(values.get("year"), int) or not 1990 <= values["year"] <= 2100:
        errors["year"] = _("年份无效")
    start, end = values.get("start_date"), values.get("end_date")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        errors["end_date"] = _("结束日期不能早于开始日期")
    if errors:
        raise ServiceError(_("请更正标出的字段。"), errors, status=422)


def _check_version(event: Event, version) -> None:
    """An edit made on an older reading of the event is refused (409): someone saved it meanwhile."""
    if version is not None and str(version) != str(event.version):
        raise ServiceError(_("保存被拒绝：此活动已被他人修改，请查看最新内容后重新修改。"),
                           {"version": _("已被他人修改")}, status=409, code="stale")


def save_event(event: Event | None, *, actor, values: dict, version: int | None = None) -> Event:
    values = {k: v for k, v in values.items() if k in FIELDS}
    _check(actor, values)
    if event is not None:
        _check_version(event, version)
    created = event is None
    event = event or Event()
    before = audit.snapshot(event, list(values)) if not created else {}
    for key, value in values.items():
        setattr(event, key, value.strip() if isinstance(value, str) else value)
    if created:
        db.session.add(event)
    db.session.flush()
    audit.record("event.create" if created else "event.update", event, actor=actor, summary=event.name,
                 changes=audit.diff(event, list(values), before))
    return event


def delete_event(event: Event, *, actor, version: int | None = None) -> None:
    """Only an event no project refers to (one entered by mistake): a cohort's event stays with its projects."""
    if not has_role(actor, Role.manager, Role.officer):
        raise ServiceError(_("只有领导和招商专员可以维护展会活动。"), status=403, code="forbidden")
    _check_version(event, version)
    if db.session.scalar(select(func.count()).select_from(Project).where(Project.event_id == event.id)):
        raise ServiceError(_("该活动已有签约项目，不能删除。"), status=409, code="in_use")
    audit.record("event.delete", event, actor=actor, summary=event.name)
    db.session.delete(event)
    db.session.flush()
