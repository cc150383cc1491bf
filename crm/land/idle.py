"""Idle land (闲置土地): parcels supplied whose agreed start passed a year ago without 开工, and those past two
years (可收回), by the thresholds of seeds/land_policy.yaml; the daily job flags them and warns."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from crm.extensions import db
from crm.land import policy
from crm.land.models import Carrier, CarrierChange, CarrierKind, CarrierStatus, CarrierSupply
from crm.projects.models import Project

IDLE, RECLAIMABLE = "idle", "reclaimable"
FINDING_LABELS = {IDLE: "闲置", RECLAIMABLE: "可收回"}
CSV_COLUMNS = ("park_code", "carrier", "project", "supplied_on", "agreed_start", "days_late", "finding")


@dataclass(frozen=True)
class Finding:
    supply: CarrierSupply
    finding: str  # idle / reclaimable
    days_late: int  # days past the agreed start
    idle_since: date  # the first day the parcel counts as idle

    @property
    def row(self) -> dict:
        s = self.supply
        return {"park_code": s.carrier.park.code, "carrier": s.carrier.name, "project": s.project.name,
                "supplied_on": s.supplied_on.isoformat(), "agreed_start": s.agreed_start.isoformat(),
                "days_late": self.days_late, "finding": self.finding}


def thresholds() -> tuple[int, int]:
    data = policy.rules()["idle_land"]
    return int(data["idle_after_years"]), int(data["reclaim_after_years"])


def classify(agreed_start: date, today: date, idle_years: int, reclaim_years: int) -> str | None:
    """More than `idle_years` past the agreed start is idle; more than `reclaim_years`, reclaimable."""
    if today > policy.add_years(agreed_start, reclaim_years):
        return RECLAIMABLE
    if today > policy.add_years(agreed_start, idle_years):
        return IDLE
    return None


def _candidates(today: date, park_ids=None):
    """Parcels supplied by `today`, still held, with an agreed start, and no 开工 by `today`."""
    query = (select(CarrierSupply).join(CarrierSupply.carrier).join(CarrierSupply.project)
             .where(Carrier.kind == CarrierKind.land, CarrierSupply.agreed_start.is_not(None),
                    CarrierSupply.supplied_on <= today,
                    or_(CarrierSupply.ended_on.is_(None), CarrierSupply.ended_on > today),
                    or_(CarrierSupply.started_on.is_(None), CarrierSupply.started_on > today),
                    or_(Project.started_date.is_(None), Project.started_date > today))
             .options(joinedload(CarrierSupply.carrier).joinedload(Carrier.park), joinedload(CarrierSupply.project))
             .order_by(Carrier.park_id, CarrierSupply.agreed_start, CarrierSupply.id))
    if park_ids is not None:
        query = query.where(Carrier.park_id.in_(park_ids)) if park_ids else query.where(False)
    return db.session.scalars(query)


def findings(today: date, park_ids=None) -> list[Finding]:
    idle_years, reclaim_years = thresholds()
    found = []
    for supply in _candidates(today, park_ids):
        kind = classify(supply.agreed_start, today, idle_years, reclaim_years)
        if kind:
            since = policy.add_years(supply.agreed_start, idle_years) + timedelta(days=1)
            found.append(Finding(supply, kind, (today - supply.agreed_start).days, since))
    return found


def flag_idle(finding: Finding) -> bool:
    """Move a supplied parcel to 闲置, dated the day it became idle (once: the status then is idle)."""
    carrier = finding.supply.carrier
    if carrier.status != CarrierStatus.supplied:
        return False
    when = max(finding.idle_since, carrier.status_date or finding.idle_since)
    note = _("约定动工日期 %(d)s 起满一年未动工", d=finding.supply.agreed_start.isoformat())
    db.session.add(CarrierChange(carrier_id=carrier.id, from_status=carrier.status, to_status=CarrierStatus.idle,
                                 fact_date=when, project_id=finding.supply.project_id, comment=note))
    carrier.status, carrier.status_date = CarrierStatus.idle, when
    return True


def title(finding: Finding) -> str:
    s = finding.supply
    if finding.finding == RECLAIMABLE:
        return _("%(c)s（%(p)s）超过约定动工日期 %(d)s 天未动工，满两年可无偿收回", c=s.carrier.name,
                 p=s.project.name, d=finding.days_late)
    return _("%(c)s（%(p)s）超过约定动工日期 %(d)s 天未动工，已属闲置土地", c=s.carrier.name, p=s.project.name,
             d=finding.days_late)
