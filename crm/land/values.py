"""Parse submitted carrier, supply, need and yearly values (form or JSON alike); errors name their field."""
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from crm.core.errors import ServiceError
from crm.core.formatting import parse_money
from crm.land.models import LAND_USES, CarrierKind

CARRIER_TEXT = {"name": 120, "location": 200, "notes": 5000, "land_use": 10, "kind": 10}
CARRIER_NUMBERS = ("area_mu", "plot_ratio_min", "plot_ratio_max", "price", "floor_area_m2", "floor_load", "height_m",
                   "rent", "power_kva", "water_tpd", "latitude", "longitude")
CARRIER_FLAGS = ("serviced", "rail")
CARRIER_INTEGERS = ("floors",)
CARRIER_FIELDS = (*CARRIER_TEXT, *CARRIER_NUMBERS, *CARRIER_FLAGS, *CARRIER_INTEGERS)
COORDINATE_RANGE = {"latitude": Decimal(90), "longitude": Decimal(180)}


def number(value, *, signed: bool = False) -> Decimal | None:
    amount = parse_money(value)
    if amount is not None and amount < 0 and not signed:
        raise ValueError(_("不能为负数"))
    return amount


def flag(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "y", "yes", "on", "是")


def day(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValueError(_("日期格式应为 YYYY-MM-DD")) from exc


def integer(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        found = int(str(value).strip())
    except ValueError as exc:
        raise ValueError(_("应为整数")) from exc
    if found < 0:
        raise ValueError(_("不能为负数"))
    return found


def _text(field: str, value) -> str:
    if value is not None and not isinstance(value, str | int | float):
        raise ValueError(_("应为文本"))
    text = str(value or "").strip()
    if len(text) > CARRIER_TEXT[field]:
        raise ValueError(_("不超过 %(n)s 个字符", n=CARRIER_TEXT[field]))
    if field == "kind" and text and text not in set(CarrierKind):
        raise ValueError(_("应为：land（地块）、factory（标准厂房）、building（楼宇）"))
    if field == "land_use" and text and text not in LAND_USES:
        raise ValueError(_("应为：%(c)s", c="、".join(LAND_USES)))
    return text


def _carrier_one(field: str, value):
    if field in CARRIER_TEXT:
        return _text(field, value)
    if field in CARRIER_FLAGS:
        return flag(value)
    if field in CARRIER_INTEGERS:
        return integer(value)
    found = number(value, signed=field in COORDINATE_RANGE)
    if field in COORDINATE_RANGE and found is not None and abs(found) > COORDINATE_RANGE[field]:
        raise ValueError(_("坐标超出范围"))
    return found


def parse_carrier(data: dict, *, partial: bool = False) -> dict:
    """The carrier fields present in `data`, parsed; a new carrier (partial=False) needs a name, a kind and its
    size (亩 for a parcel, m² otherwise)."""
    values, errors = {}, {}
    for field in CARRIER_FIELDS:
        if field not in data:
            continue
        try:
            values[field] = _carrier_one(field, data[field])
        except ValueError as exc:
            errors[field] = str(exc)
    if not partial:
        values.setdefault("kind", CarrierKind.land)
        values["kind"] = values["kind"] or CarrierKind.land
        if not values.get("name"):
            errors.setdefault("name", _("必填"))
        size = "area_mu" if values["kind"] == CarrierKind.land else "floor_area_m2"
        if not values.get(size):
            errors.setdefault(size, _("必填，且大于 0"))
    low, high = values.get("plot_ratio_min"), values.get("plot_ratio_max")
    if low is not None and high is not None and low > high:
        errors.setdefault("plot_ratio_max", _("不应小于容积率下限"))
    if errors:
        raise ServiceError(_("请检查标出的字段。"), errors, status=422)
    return values


def field_errors(parsers: dict, data: dict) -> tuple[dict, dict]:
    """Run each field's parser over `data`: (values, errors)."""
    values, errors = {}, {}
    for field, parse in parsers.items():
        try:
            values[field] = parse(data.get(field))
        except ValueError as exc:
            errors[field] = str(exc)
    return values, errors
