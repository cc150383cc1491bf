"""Reads of parks: the tree with chains and links loaded in a fixed number of queries."""
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from crm.parks.models import Chain, Industry, Park, Region


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


def industry_options() -> list[tuple[int, str]]:
    """(id, name) of the industries a form or filter offers: those of no province and of the provinces that have
    parks here, in seed order. Another province's industries (the 003 document's Inner Mongolian list) appear
    once its parks are entered; a name two offered provinces share is shown with each province's name."""
    from crm.core import choices
    from crm.extensions import db

    return choices.cached("industry options", {"industries", "parks", "regions"}, lambda: _industry_options(db.session))


def _industry_options(session) -> list[tuple[int, str]]:
    regions = {code: (name, parent_id) for code, name, parent_id in
               session.execute(select(Region.code, Region.name, Region.parent_id))}
    by_id = {rid: code for rid, code in session.execute(select(Region.id, Region.code))}
    provinces = set()
    for code in session.scalars(select(Region.code).join(Park, Park.region_id == Region.id)):
        parent = regions[code][1]
        provinces.add(by_id[parent] if parent else code)
    rows = session.execute(select(Industry.id, Industry.name, Industry.province)
                           .order_by(Industry.province != "QH", Industry.province, Industry.id)).all()
    if provinces:
        rows = [r for r in rows if not r.province or r.province in provinces]
    shared = {name for name in {r.name for r in rows} if sum(1 for r in rows if r.name == name) > 1}
    return [(r.id, f"{r.name}（{regions.get(r.province, (r.province,))[0]}）" if r.name in shared else r.name)
            for r in rows]
