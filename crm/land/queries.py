"""Reads of the land domain: carriers within the user's scope, a park's totals, a project's land."""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload

from crm.core.scope import scope_to_parks
from crm.extensions import db
from crm.land import policy, serialise
from crm.land.models import Carrier, CarrierChange, CarrierKind, CarrierStatus, CarrierSupply
from crm.parks.models import Park, Region


def park_by_code(code: str) -> Park | None:
    return db.session.scalar(select(Park).where(Park.code == str(code or "").strip().upper()))


def visible_carriers(user) -> Select:
    return scope_to_parks(select(Carrier), Carrier.park_id, user)


@dataclass
class CarrierFilters:
    park_id: int | None = None
    kind: str = ""
    status: str = ""
    min_area: Decimal | None = None  # 亩 for parcels, m² for factories and buildings

    def apply(self, query: Select) -> Select:
        if self.park_id:
            query = query.where(Carrier.park_id == self.park_id)
        if self.kind:
            query = query.where(Carrier.kind == self.kind)
        if self.status:
            query = query.where(Carrier.status == self.status)
        if self.min_area is not None:
            size = case((Carrier.kind == CarrierKind.land, Carrier.area_mu), else_=Carrier.floor_area_m2)
            query = query.where(size >= self.min_area)
        return query


def carrier_list(user, filters: CarrierFilters) -> Select:
    return filters.apply(visible_carriers(user)).options(joinedload(Carrier.park)).order_by(Carrier.park_id,
                                                                                          Carrier.id)


def carrier_by_id(user, carrier_id: int) -> Select:
    return visible_carriers(user).where(Carrier.id == carrier_id).options(joinedload(Carrier.park))


def history(carrier_id: int) -> list[CarrierChange]:
    return list(db.session.scalars(select(CarrierChange).where(CarrierChange.carrier_id == carrier_id)
                                   .options(joinedload(CarrierChange.actor)).order_by(CarrierChange.id)))


def supplies_of_carrier(carrier_id: int) -> list[CarrierSupply]:
    return list(db.session.scalars(select(CarrierSupply).where(CarrierSupply.carrier_id == carrier_id)
                                   .options(joinedload(CarrierSupply.project)).order_by(CarrierSupply.id)))


@dataclass
class ParkTotals:
    land_mu: Decimal  # 可供土地, 亩
    floor_area_m2: Decimal  # 可供厂房与楼宇, m²
    carriers: int
    idle: int


def park_totals(park_id: int) -> ParkTotals:
    available = Carrier.status == CarrierStatus.available
    row = db.session.execute(select(
        func.sum(case((available & (Carrier.kind == CarrierKind.land), Carrier.area_mu), else_=0)),
        func.sum(case((available & (Carrier.kind != CarrierKind.land), Carrier.floor_area_m2), else_=0)),
        func.count(), func.sum(case((Carrier.status == CarrierStatus.idle, 1), else_=0)))
        .where(Carrier.park_id == park_id)).one()
    return ParkTotals(Decimal(row[0] or 0), Decimal(row[1] or 0), row[2], int(row[3] or 0))


def project_supplies(project_id: int) -> list[CarrierSupply]:
    return list(db.session.scalars(select(CarrierSupply).where(CarrierSupply.project_id == project_id)
                                   .options(joinedload(CarrierSupply.carrier)).order_by(CarrierSupply.supplied_on,
                                                                                        CarrierSupply.id)))


def park_province(park: Park) -> tuple[int | None, str]:
    """(the park's investment-intensity target, or its key park's; the province code of its region)."""
    target = park.intensity_target or (park.parent.intensity_target if park.parent else None)
    region = db.session.get(Region, park.region_id) if park.region_id else None
    if region is None and park.parent and park.parent.region_id:
        region = db.session.get(Region, park.parent.region_id)
    return target, (region.code.split("-")[0] if region else "")


def project_land_mu(project, supplies: list[CarrierSupply]) -> Decimal | None:
    """The land a project holds: its supplied parcels in force, else the 亩 its record states."""
    held = [s.area_mu for s in supplies if s.ended_on is None and s.area_mu]
    return sum(held, Decimal(0)) if held else project.land_mu


def project_intensity(project, supplies: list[CarrierSupply] | None = None,
                      tax_per_mu: Decimal | None = None) -> policy.Intensity:
    supplies = project_supplies(project.id) if supplies is None else supplies
    target, province = park_province(project.park)
    return policy.judge(project.fixed_asset_investment, project_land_mu(project, supplies), park_target=target,
                        province=province, tax_per_mu=tax_per_mu)


def project_land_json(project) -> dict:
    """A project's supplies and 投资强度 against the policy, as the project's API record shows them."""
    supplies = project_supplies(project.id)
    return {"carriers": [serialise.supply_json(s) for s in supplies],
            **serialise.intensity_json(project_intensity(project, supplies))}


def land_by_project(project_ids: list[int]) -> dict[int, Decimal]:
    """亩 supplied and still held, by project, in one statement (the ledger's land column)."""
    if not project_ids:
        return {}
    rows = db.session.execute(select(CarrierSupply.project_id, func.sum(CarrierSupply.area_mu))
                              .where(CarrierSupply.project_id.in_(project_ids), CarrierSupply.ended_on.is_(None),
                                     CarrierSupply.area_mu.is_not(None))
                              .group_by(CarrierSupply.project_id))
    return {project_id: Decimal(total) for project_id, total in rows if total}


def signing_warnings(project) -> list[str]:
    """What a signing should be told of the project's land: 投资强度 below the park's (or province's) minimum."""
    found = project_intensity(project)
    if not found.below_minimum:
        return []
    return [_("投资强度 %(i)s 万元/亩，低于下限 %(m)s 万元/亩（%(s)s）。", i=found.intensity, m=found.minimum,
              s=found.minimum_source)]
