"""Edits of a park's positioning, industries, anchor enterprises, chains and links (by admins and the park's
own staff), each written to the audit log and kept as a dated picture of the park (crm.parks.pictures).

Every edit touches the park's updated_at: the matching engine rebuilds its park index when it moves.
"""
import re
from datetime import date

from flask_babel import gettext as _

from crm.core import audit
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.extensions import db
from crm.parks import pictures
from crm.parks.models import Chain, ChainLink, Park

_SEPARATORS = re.compile(r"[、,，;；\n]+")


def split_list(text: str) -> list[str]:
    """"锂电池、正极材料, 隔膜" → ["锂电池", "正极材料", "隔膜"], duplicates dropped, order kept."""
    return list(dict.fromkeys(w.strip() for w in _SEPARATORS.split(text or "") if w.strip()))


def _touch(park: Park, action: str, summary: str, actor, changes: dict | None = None, *,
           valid_from: date | None = None, source: str = "", reason: str = "") -> None:
    """Audit the edit and keep the park's new picture, in force from `valid_from` (default: today)."""
    park.updated_at = utcnow()
    audit.record(action, park, actor=actor, summary=summary, changes=changes)
    pictures.record(park, actor=actor, valid_from=valid_from or local_today(utcnow()), source=source,
                    reason=reason, summary=summary)


def update_profile(park: Park, *, positioning: str, industries: list[str], actor, anchors: list[str] | None = None,
                   valid_from: date | None = None, source: str = "", reason: str = "") -> None:
    fields = ["positioning", "industries", "anchors"]
    before = audit.snapshot(park, fields)
    park.positioning, park.industries = positioning.strip(), list(industries)
    if anchors is not None:
        park.anchors = list(anchors)
    changes = audit.diff(park, fields, before)
    if changes or reason:
        _touch(park, "park.update", _("修改产业定位：%(name)s", name=park.name), actor, changes,
               valid_from=valid_from, source=source, reason=reason)
    db.session.flush()


def add_chain(park: Park, *, name: str, actor) -> Chain:
    name = name.strip()
    if any(c.name == name for c in park.chains):
        raise ServiceError(_("该园区已有同名产业链。"), {"name": _("重名")}, status=409)
    chain = Chain(name=name, position=len(park.chains))
    park.chains.append(chain)
    _touch(park, "chain.create", _("新增产业链「%(name)s」", name=name), actor)
    db.session.flush()
    return chain


def delete_chain(chain: Chain, *, actor) -> None:
    park = chain.park
    links = [link.name for link in chain.links]
    park.chains.remove(chain)
    _touch(park, "chain.delete", _("删除产业链「%(name)s」", name=chain.name), actor, {"links": [links, None]})
    db.session.flush()


def add_link(chain: Chain, *, name: str, keywords: list[str], actor) -> ChainLink:
    link = ChainLink(name=name.strip(), keywords=list(keywords), position=len(chain.links))
    chain.links.append(link)
    _touch(chain.park, "link.create", _("产业链「%(chain)s」新增环节「%(name)s」", chain=chain.name, name=link.name),
           actor, {"keywords": [None, link.keywords]})
    db.session.flush()
    return link


def update_link(link: ChainLink, *, name: str, keywords: list[str], position: int | None, actor) -> None:
    before = audit.snapshot(link, ["name", "keywords"])
    link.name, link.keywords = name.strip(), list(keywords)
    changes = audit.diff(link, ["name", "keywords"], before)
    chain = link.chain
    if position is not None and position - 1 != chain.links.index(link):
        chain.links.remove(link)
        chain.links.insert(min(position - 1, len(chain.links)), link)
        for i, each in enumerate(chain.links):
            each.position = i
        changes["position"] = [None, position]
    if changes:
        _touch(chain.park, "link.update", _("修改环节「%(chain)s / %(name)s」", chain=chain.name, name=link.name),
               actor, changes)
    db.session.flush()


def delete_link(link: ChainLink, *, actor) -> None:
    chain = link.chain
    chain.links.remove(link)
    for i, each in enumerate(chain.links):
        each.position = i
    _touch(chain.park, "link.delete", _("删除环节「%(chain)s / %(name)s」", chain=chain.name, name=link.name),
           actor, {"keywords": [link.keywords, None]})
    db.session.flush()
