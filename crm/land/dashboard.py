"""The dashboard's land card: idle and 可收回 parcels in the viewer's scope, and parks' 亩均税收 by year."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from crm.core.scope import scope_to_parks
from crm.extensions import db
from crm.land import efficiency, idle
from crm.parks.models import Park

MAX_FINDINGS = 8
MAX_PARKS_IN_TREND = 6


def _park_ids(user, park_code: str) -> list[int]:
    query = scope_to_parks(select(Park.id, Park.code, Park.parent_id), Park.id, user)
    rows = db.session.execute(query).all()
    if not park_code:
        return [r.id for r in rows]
    chosen = {r.id for r in rows if r.code == park_code}
    return [r.id for r in rows if r.id in chosen or r.parent_id in chosen]  # a key park with its bases


def tax_trend_chart(park_ids: list[int]) -> dict | None:
    trend = efficiency.tax_trend(park_ids)
    if not trend:
        return None
    names = dict(db.session.execute(select(Park.id, Park.name).where(Park.id.in_(list(trend)))).all())
    busiest = sorted(trend, key=lambda pid: -len(trend[pid]))[:MAX_PARKS_IN_TREND]
    years = sorted({year for pid in busiest for year, _v in trend[pid]})
    series = []
    for pid in busiest:
        by_year = dict(trend[pid])
        series.append({"name": names.get(pid, str(pid)), "type": "line", "connectNulls": True,
                       "data": [None if by_year.get(y) is None else float(by_year[y]) for y in years]})
    return {"tooltip": {"trigger": "axis"}, "legend": {}, "grid": {"left": 50, "right": 20, "top": 70},
            "xAxis": {"type": "category", "data": [str(y) for y in years]},
            "yAxis": {"type": "value", "name": _("万元/亩")}, "series": series}


def land_card(user, park_code: str, today: date, limit: int | None = MAX_FINDINGS) -> dict:
    park_ids = _park_ids(user, park_code)
    found = idle.findings(today, park_ids)
    return {"findings": found[:limit], "total": len(found),
            "reclaimable": sum(1 for f in found if f.finding == idle.RECLAIMABLE),
            "trend": tax_trend_chart(park_ids), "labels": idle.FINDING_LABELS}
