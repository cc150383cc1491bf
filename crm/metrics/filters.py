"""Read a cohort from query arguments (dashboard, drill-down, API, CLI) with clear messages for bad input."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from crm.core.errors import ServiceError
from crm.core.params import EARLIEST, LATEST, parse_date, parse_int
from crm.extensions import db
from crm.metrics.cohort import Cohort
from crm.parks.models import Park


def _int(args, key: str) -> int | None:
    value = (args.get(key) or "").strip() if isinstance(args.get(key), str) else args.get(key)
    if value in (None, ""):
        return None
    try:
        return parse_int(value)
    except ValueError as exc:
        raise ServiceError(_("筛选条件 %(key)s 应为编号。", key=key), {key: _("应为整数")}) from exc


def _date(args, key: str, default: date | None) -> date | None:
    value = args.get(key)
    if value in (None, ""):
        return default
    try:
        return parse_date(str(value))
    except ValueError as exc:
        raise ServiceError(_("日期格式应为 YYYY-MM-DD，且在 %(low)s 至 %(high)s 之间。", low=EARLIEST, high=LATEST),
                           {key: _("日期无效")}) from exc


def parse_cohort(args, *, user=None, today: date | None = None, default_year: int | None = None) -> Cohort:
    """`default_year` fills an absent period with that calendar year (the dashboard's default)."""
    start = date(default_year, 1, 1) if default_year else None
    end = date(default_year, 12, 31) if default_year else None
    park = (args.get("park") or "").strip()
    if park and db.session.scalar(select(Park.id).where(Park.code == park)) is None:
        raise ServiceError(_("没有代码为 %(code)s 的园区。", code=park), {"park": _("园区不存在")}, status=404)
    cohort = Cohort(park=park, event_id=_int(args, "event"), industry_id=_int(args, "industry"),
                    officer_id=_int(args, "officer"), signed_from=_date(args, "from", start),
                    signed_to=_date(args, "to", end), user=user, today=today)
    if cohort.signed_from and cohort.signed_to and cohort.signed_from > cohort.signed_to:
        raise ServiceError(_("开始日期不能晚于结束日期。"), {"from": _("日期无效")})
    return cohort
