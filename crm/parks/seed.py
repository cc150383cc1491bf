"""Load regions, industries, parks, chains and links from seeds/*.yaml, idempotently."""
from sqlalchemy import select

from crm.core.seedfiles import ChangeCounter, load_yaml
from crm.extensions import db
from crm.parks import pictures
from crm.parks.models import Chain, ChainLink, Industry, Park, Region


def seed_regions(counter: ChangeCounter) -> None:
    existing = {r.code: r for r in db.session.scalars(select(Region))}
    for row in load_yaml("regions.yaml")["regions"]:
        region = existing.get(row["code"])
        if region is None:
            region = existing[row["code"]] = Region(code=row["code"])
            db.session.add(region)
            counter.created_one("regions")
        parent = existing.get(row.get("parent") or "")
        counter.assign(region, "regions", name=row["name"], level=row["level"], parent=parent)


def seed_industries(counter: ChangeCounter) -> None:
    existing = {i.code: i for i in db.session.scalars(select(Industry))}
    for row in load_yaml("industries.yaml")["industries"]:
        industry = existing.get(row["code"])
        if industry is None:
            industry = existing[row["code"]] = Industry(code=row["code"])
            db.session.add(industry)
            counter.created_one("industries")
        sources = row.get("sources") or [row.get("source", "")]
        counter.assign(industry, "industries", name=row["name"], province=row.get("province", ""),
                       group=row.get("group") or "", sources=[str(s) for s in sources if s])


def seed_parks(counter: ChangeCounter) -> None:
    regions = {r.code: r for r in db.session.scalars(select(Region))}
    existing = {p.code: p for p in db.session.scalars(select(Park))}
    for row in load_yaml("parks.yaml")["parks"]:
        park = existing.get(row["code"])
        if park is None:
            park = existing[row["code"]] = Park(code=row["code"])
            db.session.add(park)
            counter.created_one("parks")
        counter.assign(
            park, "parks", name=row["name"], level=row["level"], parent=existing.get(row.get("parent") or ""),
            region=regions.get(row.get("region") or ""), positioning=(row.get("positioning") or "").strip(),
            industries=list(row.get("industries") or []), eco_restricted=bool(row.get("eco_restricted")),
            places=list(row.get("places") or []),
            intensity_target=row.get("investment_intensity_target"),
        )
        _seed_chains(park, row.get("chains") or [], counter)


def _seed_chains(park: Park, rows: list[dict], counter: ChangeCounter) -> None:
    """Chains are matched by name within the park, links by position within the chain."""
    by_name = {c.name: c for c in park.chains}
    for position, row in enumerate(rows):
        chain = by_name.get(row["name"])
        if chain is None:
            chain = Chain(name=row["name"], position=position)
            park.chains.append(chain)
            counter.created_one("chains")
        counter.assign(chain, "chains", position=position, source=row.get("source") or "")
        for link_position, link_row in enumerate(row.get("links") or []):
            if link_position < len(chain.links):
                link = chain.links[link_position]
            else:
                link = ChainLink(name=link_row["name"], position=link_position)
                chain.links.append(link)
                counter.created_one("links")
            counter.assign(link, "links", name=link_row["name"], position=link_position,
                           keywords=list(link_row.get("keywords") or []), gbt_code=str(link_row.get("gbt") or ""))


def seed_pictures(counter: ChangeCounter) -> None:
    """Each park's picture as the seeds describe it, held from the beginning (the policy documents predate any
    project entered here); a new one only when a seed run changed the park."""
    for park in db.session.scalars(select(Park).order_by(Park.id)):
        sources = sorted({c.source.split(" ")[0] for c in park.chains if c.source})
        if pictures.record(park, valid_from=None, source="seeds/parks.yaml（政策文件 " + "、".join(sources) + "）",
                           summary="种子数据"):
            counter.created_one("park_pictures")


def seed_all(counter: ChangeCounter) -> None:
    seed_regions(counter)
    db.session.flush()
    seed_industries(counter)
    seed_parks(counter)
    seed_pictures(counter)
