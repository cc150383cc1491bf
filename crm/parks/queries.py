"""Reads of parks: the tree with chains and links loaded in a fixed number of queries."""
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from crm.parks.models import Chain, Park


def parks_with_chains() -> Select:
    return (select(Park)
            .options(selectinload(Park.parent), selectinload(Park.chains).selectinload(Chain.links))
            .order_by(Park.parent_id.is_not(None), Park.id))


def park_by_code(code: str) -> Select:
    return parks_with_chains().where(Park.code == code)


def serialise_park(park: Park) -> dict:
    return {
        "id": park.id,
        "code": park.code,
        "name": park.name,
        "level": park.level,
        "parent": park.parent.code if park.parent else "",
        "positioning": park.positioning,
        "industries": list(park.industries or []),
        "eco_restricted": park.eco_restricted,
        "chains": [
            {"id": chain.id, "name": chain.name,
             "links": [{"id": link.id, "name": link.name, "position": link.position,
                        "keywords": list(link.keywords or [])} for link in chain.links]}
            for chain in park.chains
        ],
    }
