"""What a project needs of a site (land in 亩 or floor space in m², use, power, water, rail, by when)."""
from flask_babel import gettext as _
from sqlalchemy import select

from crm.core import audit
from crm.core.errors import ServiceError
from crm.extensions import db
from crm.land.models import LAND_USES, CarrierKind, ProjectNeed
from crm.land.values import day, field_errors, flag, number

NEED_FIELDS = ("kind", "land_mu", "floor_area_m2", "land_use", "power_kva", "water_tpd", "rail", "needed_by",
               "notes")


def _kind(value) -> str:
    text = str(value or CarrierKind.land).strip()
    if text not in (CarrierKind.land, CarrierKind.factory):
        raise ValueError(_("应为 land（用地）或 factory（厂房）"))
    return text


def _use(value) -> str:
    text = str(value or "").strip()
    if text and text not in LAND_USES:
        raise ValueError(_("应为：%(c)s", c="、".join(LAND_USES)))
    return text


def _notes(value) -> str:
    return str(value or "").strip()[:2000]


PARSERS = {"kind": _kind, "land_mu": number, "floor_area_m2": number, "land_use": _use, "power_kva": number,
           "water_tpd": number, "rail": flag, "needed_by": day, "notes": _notes}


def need_of(project_id: int) -> ProjectNeed | None:
    return db.session.get(ProjectNeed, project_id)


def state_need(project, *, actor, values: dict) -> ProjectNeed:
    """Record (or replace) what the project needs; anyone who may see the project may state it."""
    parsed, errors = field_errors(PARSERS, values)
    size = "land_mu" if parsed.get("kind") == CarrierKind.land else "floor_area_m2"
    if not errors.get(size) and not parsed.get(size):
        errors[size] = _("必填，且大于 0")
    if errors:
        raise ServiceError(_("请检查标出的字段。"), errors, status=422)
    row = db.session.scalar(select(ProjectNeed).where(ProjectNeed.project_id == project.id))
    if row is None:
        row = ProjectNeed(project_id=project.id)
        db.session.add(row)
    for name, value in parsed.items():
        setattr(row, name, value)
    audit.record("project.need", object_type="projects", object_id=project.id, actor=actor,
                 summary=f"{project.name} 用地需求", changes={k: str(v) for k, v in parsed.items()})
    db.session.flush()
    return row
