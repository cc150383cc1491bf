"""Carrier verbs: enter and edit a carrier, move its status with a dated fact, supply it to a project.
Each flushes; the caller commits."""
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.core import audit
from crm.core.errors import ServiceError
from crm.core.permissions import Role
from crm.core.scope import may_see_park
from crm.extensions import db
from crm.land.models import Carrier, CarrierChange, CarrierKind, CarrierStatus, CarrierSupply
from crm.land.values import day, number, parse_carrier
from crm.parks.models import Park

S = CarrierStatus
# The status moves a person may record; 已供地 and 已出租 come only with a supply to a project.
TRANSITIONS: dict[str, set[str]] = {
    S.available: {S.intended, S.supplied, S.leased},
    S.intended: {S.available, S.supplied, S.leased},
    S.supplied: {S.started, S.idle, S.reclaimed},
    S.leased: {S.started, S.available},
    S.started: {S.idle},
    S.idle: {S.started, S.reclaimed},
    S.reclaimed: {S.available},
}
SUPPLIED_BY = {CarrierKind.land: S.supplied, CarrierKind.factory: S.leased, CarrierKind.building: S.leased}
OPEN_TO_SUPPLY = {S.available, S.intended}


def may_edit_park(user, park_id: int) -> bool:
    """Admins edit every park's carriers; park staff their own parks' (and those parks' bases')."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.admin:
        return True
    return user.role == Role.park_staff and may_see_park(user, park_id)


def _require_edit(user, park_id: int) -> None:
    if not may_edit_park(user, park_id):
        raise ServiceError(_("只有本园区的园区人员或管理员可以维护载体。"), status=403, code="forbidden")


def find_park(code: str) -> Park:
    park = db.session.scalar(select(Park).where(Park.code == str(code or "").strip().upper()))
    if park is None:
        raise ServiceError(_("园区不存在。"), {"park": _("园区代码不存在")}, status=422)
    return park


def _record(carrier: Carrier, to: str, fact_date: date, *, actor, comment: str = "", project_id=None) -> CarrierChange:
    change = CarrierChange(carrier_id=carrier.id, from_status=carrier.status or "", to_status=to, fact_date=fact_date,
                           project_id=project_id, comment=comment, actor_id=getattr(actor, "id", None))
    carrier.status, carrier.status_date = to, fact_date
    db.session.add(change)
    return change


def create_carrier(*, park: Park, actor, values: dict, today: date) -> Carrier:
    _require_edit(actor, park.id)
    values = parse_carrier(values)
    # No status date yet: a parcel entered today may have been supplied years ago, and that supply may be
    # recorded now with its own date.
    carrier = Carrier(park_id=park.id, created_by_id=getattr(actor, "id", None), status=S.available, **values)
    db.session.add(carrier)
    db.session.flush()
    db.session.add(CarrierChange(carrier_id=carrier.id, from_status="", to_status=S.available, fact_date=today,
                                 actor_id=getattr(actor, "id", None), comment=_("登记载体")))
    audit.record("carrier.create", carrier, actor=actor, summary=f"{park.name} {carrier.name}")
    db.session.flush()
    return carrier


def update_carrier(carrier: Carrier, *, actor, values: dict, version) -> Carrier:
    _require_edit(actor, carrier.park_id)
    if str(version) != str(carrier.version):
        raise ServiceError(_("记录已被他人修改，请刷新后重试。"), status=409, code="stale")
    changes = {}
    for field, value in parse_carrier(values, partial=True).items():
        if getattr(carrier, field) != value:
            changes[field] = [str(getattr(carrier, field)), str(value)]
            setattr(carrier, field, value)
    size = "area_mu" if carrier.kind == CarrierKind.land else "floor_area_m2"
    if not getattr(carrier, size):
        raise ServiceError(_("请检查标出的字段。"), {size: _("必填，且大于 0")}, status=422)
    if changes:
        audit.record("carrier.update", carrier, actor=actor, summary=carrier.name, changes=changes)
    db.session.flush()
    return carrier


def _latest_supply(carrier_id: int) -> CarrierSupply | None:
    return db.session.scalar(select(CarrierSupply).where(CarrierSupply.carrier_id == carrier_id,
                                                         CarrierSupply.ended_on.is_(None))
                             .order_by(CarrierSupply.supplied_on.desc(), CarrierSupply.id.desc()).limit(1))


def move_carrier(carrier: Carrier, to: str, *, fact_date, actor, comment: str = "") -> CarrierChange:
    """A dated status change other than a supply: 意向, 开工, 闲置, 收回, back to 可供."""
    _require_edit(actor, carrier.park_id)
    try:
        when = day(fact_date)
    except ValueError as exc:
        raise ServiceError(str(exc), {"date": str(exc)}, status=422) from exc
    if when is None:
        raise ServiceError(_("请填写日期。"), {"date": _("必填")}, status=422)
    if to not in set(S) or to not in TRANSITIONS.get(carrier.status, set()):
        raise ServiceError(_("载体不能从当前状态变更为该状态。"), {"to": _("不允许的状态变更")}, status=422)
    if to in (S.supplied, S.leased):
        raise ServiceError(_("供地或入驻请在项目下登记（需合同编号与约定开工日期）。"), {"to": _("请登记供地")},
                           status=422)
    if carrier.status_date and when < carrier.status_date:
        raise ServiceError(_("日期不能早于上一次状态变更（%(d)s）。", d=carrier.status_date.isoformat()),
                           {"date": _("早于上一次变更")}, status=422)
    supply = _latest_supply(carrier.id)
    if supply is not None and to == S.started:
        supply.started_on = when
    if supply is not None and to in (S.reclaimed, S.available):
        supply.ended_on = when
    change = _record(carrier, to, when, actor=actor, comment=str(comment or "")[:2000],
                     project_id=supply.project_id if supply else None)
    audit.record("carrier.status", carrier, actor=actor, summary=f"{carrier.name} → {to}")
    db.session.flush()
    return change


def _supply_values(carrier: Carrier, data: dict) -> dict:
    errors, values = {}, {}
    for field, parse in (("supplied_on", day), ("agreed_start", day), ("area_mu", number), ("floor_area_m2", number)):
        try:
            values[field] = parse(data.get(field))
        except ValueError as exc:
            errors[field] = str(exc)
    values["contract_no"] = str(data.get("contract_no") or "").strip()[:60]
    if not values.get("supplied_on"):
        errors.setdefault("supplied_on", _("必填"))
    size = "area_mu" if carrier.is_land else "floor_area_m2"
    if not errors.get(size):
        values[size] = values.get(size) or getattr(carrier, size)
        if values[size] is not None and getattr(carrier, size) is not None and values[size] > getattr(carrier, size):
            errors[size] = _("超过载体面积")
    if values.get("agreed_start") and values.get("supplied_on") and values["agreed_start"] < values["supplied_on"]:
        errors.setdefault("agreed_start", _("不应早于供地日期"))
    if carrier.is_land and not values.get("agreed_start") and "agreed_start" not in errors:
        errors["agreed_start"] = _("必填（闲置土地按约定动工日期认定）")
    if errors:
        raise ServiceError(_("请检查标出的字段。"), errors, status=422)
    return values


def supply_carrier(project, carrier: Carrier, *, actor, values: dict, now: datetime) -> CarrierSupply:
    """供地 / 入驻: the carrier goes to the project, dated, with its area, contract number and agreed start."""
    _require_edit(actor, carrier.park_id)
    if carrier.park_id != project.park_id:
        raise ServiceError(_("载体与项目不在同一园区。"), {"carrier_id": _("不在项目所在园区")}, status=422)
    if carrier.status not in OPEN_TO_SUPPLY:
        raise ServiceError(_("该载体当前不可供（%(s)s）。", s=carrier.status), {"carrier_id": _("不可供")}, status=422)
    parsed = _supply_values(carrier, values)
    if carrier.status_date and parsed["supplied_on"] < carrier.status_date:
        raise ServiceError(_("供地日期不能早于载体上一次状态变更。"), {"supplied_on": _("早于上一次变更")}, status=422)
    supply = CarrierSupply(carrier_id=carrier.id, project_id=project.id, actor_id=getattr(actor, "id", None), at=now,
                           **parsed)
    db.session.add(supply)
    _record(carrier, SUPPLIED_BY[CarrierKind(carrier.kind)], parsed["supplied_on"], actor=actor,
            comment=parsed["contract_no"], project_id=project.id)
    audit.record("carrier.supply", carrier, actor=actor, summary=f"{carrier.name} → {project.name}",
                 changes={"project_id": project.id, "contract_no": parsed["contract_no"]})
    db.session.flush()
    return supply


def supplied_area(project_id: int) -> tuple:
    """(亩, m²) the project holds under supplies still in force."""
    row = db.session.execute(select(func.sum(CarrierSupply.area_mu), func.sum(CarrierSupply.floor_area_m2))
                             .where(CarrierSupply.project_id == project_id, CarrierSupply.ended_on.is_(None))).one()
    return row[0], row[1]
