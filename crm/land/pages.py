"""What the land pages show: parks with their totals, a carrier's page, the project's land card."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from crm.core.scope import scope_to_parks
from crm.extensions import db
from crm.land import queries, services
from crm.land.models import KIND_LABELS, LAND_USES, STATUS_LABELS, Carrier, CarrierStatus
from crm.parks.models import Park

# The form's fields in the order shown: (name, label, input type, kinds it applies to; None: every kind)
CARRIER_FORM = [
    ("name", _l("名称或编号"), "text", None), ("area_mu", _l("面积（亩）"), "number", ("land",)),
    ("land_use", _l("规划用途"), "use", None), ("plot_ratio_min", _l("容积率下限"), "number", ("land",)),
    ("plot_ratio_max", _l("容积率上限"), "number", ("land",)), ("serviced", _l("已七通一平"), "check", ("land",)),
    ("price", _l("价格（地块：万元/亩；厂房、楼宇：元/m²）"), "number", None),
    ("floor_area_m2", _l("建筑面积（m²）"), "number", ("factory", "building")),
    ("floors", _l("层数"), "number", ("factory", "building")),
    ("floor_load", _l("楼面荷载（kN/m²）"), "number", ("factory", "building")),
    ("height_m", _l("层高（米）"), "number", ("factory", "building")),
    ("rent", _l("租金（元/m²·月）"), "number", ("factory", "building")),
    ("power_kva", _l("可供电力（kVA）"), "number", None), ("water_tpd", _l("可供水（吨/日）"), "number", None),
    ("rail", _l("有铁路专用线"), "check", None), ("location", _l("位置"), "text", None),
    ("latitude", _l("纬度（可选）"), "number", None), ("longitude", _l("经度（可选）"), "number", None),
    ("notes", _l("备注"), "textarea", None),
]


def labels() -> dict:
    return {"kinds": {k: str(v) for k, v in KIND_LABELS.items()},
            "statuses": {k: str(v) for k, v in STATUS_LABELS.items()}, "uses": LAND_USES}


def park_rows(user) -> list[tuple[Park, queries.ParkTotals]]:
    parks = db.session.scalars(scope_to_parks(select(Park), Park.id, user).order_by(Park.parent_id.is_not(None),
                                                                                  Park.id)).all()
    return [(park, queries.park_totals(park.id)) for park in parks]


def moves_for(carrier: Carrier, user) -> list[str]:
    """The status moves the user may record on this carrier from its page (supplies go through the project)."""
    if not services.may_edit_park(user, carrier.park_id):
        return []
    return [s for s in CarrierStatus if s in services.TRANSITIONS.get(carrier.status, set())
            and s not in (CarrierStatus.supplied, CarrierStatus.leased)]


def form_values(carrier: Carrier | None) -> dict:
    if carrier is None:
        return {"kind": "land", "land_use": "工业"}
    values = {name: getattr(carrier, name) for name, *_rest in CARRIER_FORM}
    values = {k: ("" if v is None else (f"{v.normalize():f}" if hasattr(v, "normalize") else v))
              for k, v in values.items()}
    return {**values, "kind": carrier.kind, "version": carrier.version}


def submitted(form) -> dict:
    """The posted carrier form as the services take it (an unticked box is absent from the post)."""
    data = {name: form.get(name, "") for name, *_rest in CARRIER_FORM}
    data["kind"] = form.get("kind", "land")
    for name, _label, input_type, _kinds in CARRIER_FORM:
        if input_type == "check":
            data[name] = form.get(name) == "y"
    return data


def supply_choices(project) -> list[Carrier]:
    return list(db.session.scalars(select(Carrier).where(Carrier.park_id == project.park_id,
                                                         Carrier.status.in_(services.OPEN_TO_SUPPLY))
                                   .order_by(Carrier.kind, Carrier.name)))
