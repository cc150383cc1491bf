"""Carriers, their history and supplies, and a project's land as JSON for the API."""
from datetime import date
from decimal import Decimal

from crm.land.models import KIND_LABELS, STATUS_LABELS, Carrier, CarrierChange, CarrierSupply
from crm.land.policy import Intensity
from crm.land.values import CARRIER_FIELDS


def plain(value):
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def carrier_json(carrier: Carrier, park_code: str | None = None) -> dict:
    """park_code: the park's code where the caller has it (the carrier's park is then not loaded)."""
    data = {field: plain(getattr(carrier, field)) for field in CARRIER_FIELDS}
    if park_code is None:
        park_code = carrier.park.code if carrier.park else None
    data.update(id=carrier.id, park=park_code, status=carrier.status,
                status_label=str(STATUS_LABELS.get(carrier.status, carrier.status)),
                kind_label=str(KIND_LABELS.get(carrier.kind, carrier.kind)), status_date=plain(carrier.status_date),
                version=carrier.version)
    return data


def change_json(change: CarrierChange) -> dict:
    return {"id": change.id, "from": change.from_status, "to": change.to_status, "date": plain(change.fact_date),
            "project_id": change.project_id, "comment": change.comment,
            "actor": change.actor.username if change.actor else None, "at": change.at.isoformat()}


def supply_json(supply: CarrierSupply) -> dict:
    carrier = supply.carrier
    return {"id": supply.id, "carrier_id": supply.carrier_id, "carrier": carrier.name if carrier else None,
            "project_id": supply.project_id, "date": plain(supply.supplied_on), "area_mu": plain(supply.area_mu),
            "floor_area_m2": plain(supply.floor_area_m2), "contract_no": supply.contract_no,
            "agreed_start": plain(supply.agreed_start), "started_on": plain(supply.started_on),
            "ended_on": plain(supply.ended_on)}


def intensity_json(found: Intensity) -> dict:
    return {"land_mu": plain(found.land_mu), "investment_intensity": plain(found.intensity),
            "intensity_unit": "万元/亩", "land_priority": found.priority,
            "priority_threshold": plain(found.priority_threshold), "priority_source": found.priority_source,
            "intensity_minimum": plain(found.minimum), "minimum_source": found.minimum_source,
            "below_minimum": found.below_minimum}
