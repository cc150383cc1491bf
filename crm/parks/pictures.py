"""Dated pictures of a park: what it was said to be (positioning, leading industries, anchor enterprises, chains
and links) from a date on, with who wrote it, when, from which source and why. Every edit of a park through
crm.parks.services, and every seed run that changes a park, adds one; matching as of a date reads the picture
in force then (the latest one dated on or before it; undated pictures hold from the beginning)."""
from datetime import date

from sqlalchemy import select

from crm.extensions import db
from crm.parks.models import Park, ParkPicture


def content(park: Park) -> dict:
    """The park's matching content as plain data (what a picture keeps)."""
    return {
        "positioning": park.positioning or "", "industries": list(park.industries or []),
        "anchors": list(park.anchors or []),
        "chains": [{"name": chain.name, "source": chain.source or "", "links": [_link(link) for link in chain.links]}
                   for chain in park.chains],
    }


def _link(link) -> dict:
    return {"name": link.name, "keywords": list(link.keywords or []), "gbt_code": link.gbt_code or ""}


def _content_of(picture: ParkPicture) -> dict:
    return {"positioning": picture.positioning, "industries": list(picture.industries or []),
            "anchors": list(picture.anchors or []), "chains": list(picture.chains or [])}


def latest(park: Park) -> ParkPicture | None:
    return db.session.scalar(select(ParkPicture).where(ParkPicture.park_id == park.id)
                             .order_by(ParkPicture.created_at.desc(), ParkPicture.id.desc()).limit(1))


def record(park: Park, *, actor=None, valid_from: date | None, source: str = "", reason: str = "",
           summary: str = "") -> ParkPicture | None:
    """A picture of the park as it now is, in force from `valid_from`; none when nothing changed since the last
    one (and no new date, source or reason). Flushes."""
    db.session.flush()
    db.session.refresh(park, ["chains"])
    now = content(park)
    last = latest(park)
    if last is not None and _content_of(last) == now and valid_from == last.valid_from and not reason:
        return None
    picture = ParkPicture(park_id=park.id, valid_from=valid_from, source=source[:300], reason=reason,
                          summary=summary[:300], author_id=getattr(actor, "id", None), **now)
    db.session.add(picture)
    db.session.flush()
    return picture


def in_force(day: date) -> dict[int, ParkPicture]:
    """park id → the picture in force on `day`: of those dated on or before it (undated: from the beginning),
    the one with the latest date, and of equal dates the one written last."""
    pictures = db.session.scalars(select(ParkPicture).where(
        (ParkPicture.valid_from.is_(None)) | (ParkPicture.valid_from <= day))).all()
    chosen: dict[int, ParkPicture] = {}
    for picture in pictures:
        key = (picture.valid_from or date.min, picture.created_at, picture.id)
        held = chosen.get(picture.park_id)
        if held is None or key > (held.valid_from or date.min, held.created_at, held.id):
            chosen[picture.park_id] = picture
    return chosen


def history(park: Park) -> list[ParkPicture]:
    return db.session.scalars(select(ParkPicture).where(ParkPicture.park_id == park.id)
                              .order_by(ParkPicture.created_at.desc(), ParkPicture.id.desc())).all()
