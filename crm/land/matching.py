"""Carriers that fit a project's needs, in the parks the matching engine ranks for the project (its own park
first), with reasons in words; and, the other way, the open projects whose needs a carrier fits."""
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from crm.core.formatting import money
from crm.core.scope import visible_park_ids
from crm.extensions import db
from crm.land.models import Carrier, CarrierKind, CarrierStatus, ProjectNeed
from crm.matching import index as park_index
from crm.matching import queries as park_matching
from crm.matching.scoring import EvidenceIndex, rank_parks
from crm.parks.models import Park
from crm.projects.models import Project
from crm.projects.queries import visible_projects

RANKED_PARKS = 5
NO_EVIDENCE = EvidenceIndex(())
MAX_MATCHES = 10
OPEN_STAGES = ("lead", "negotiating", "signed")
_PREFIXES = ("西宁", "海西", "海东")
_SUFFIXES = ("综合经济园区", "工业园区", "产业园区", "工业园", "园区")


def short_name(name: str) -> str:
    """西宁南川工业园区 → 南川; a name with nothing left (西宁经济技术开发区) stays whole."""
    core = name
    for prefix in _PREFIXES:
        if core.startswith(prefix):
            core = core[len(prefix):]
            break
    for suffix in _SUFFIXES:
        if core.endswith(suffix):
            core = core[: -len(suffix)]
            break
    return core or name


@dataclass(frozen=True)
class Need:
    kind: str = CarrierKind.land  # land, or floor space (factory / building)
    land_mu: Decimal | None = None
    floor_area_m2: Decimal | None = None
    land_use: str = ""
    power_kva: Decimal | None = None
    water_tpd: Decimal | None = None
    rail: bool = False

    @property
    def wants_land(self) -> bool:
        return self.kind == CarrierKind.land

    @property
    def size(self) -> Decimal | None:
        return self.land_mu if self.wants_land else self.floor_area_m2


def need_of(project: Project, stated: ProjectNeed | None) -> Need | None:
    """The need the project stated, else the land its record names; None when neither says anything."""
    if stated is not None:
        return Need(stated.kind, stated.land_mu, stated.floor_area_m2, stated.land_use, stated.power_kva,
                    stated.water_tpd, stated.rail)
    if project.land_mu:
        return Need(CarrierKind.land, project.land_mu, land_use="工业")
    return None


def _size(carrier: Carrier) -> Decimal | None:
    return carrier.area_mu if carrier.is_land else carrier.floor_area_m2


def describe(carrier: Carrier, park_name: str) -> str:
    """南川 12号地块 可供 86 亩，工业用地，已七通一平"""
    if carrier.is_land:
        head = _("%(park)s %(name)s 可供 %(size)s 亩", park=short_name(park_name), name=carrier.name,
                 size=money(carrier.area_mu).rstrip("0").rstrip("."))
    else:
        head = _("%(park)s %(name)s 可供 %(size)s 平方米", park=short_name(park_name), name=carrier.name,
                 size=money(carrier.floor_area_m2).rstrip("0").rstrip("."))
    parts = [head]
    if carrier.land_use:
        parts.append(_("%(use)s用地", use=carrier.land_use))
    if carrier.serviced:
        parts.append(_("已七通一平"))
    if carrier.rail:
        parts.append(_("有铁路专用线"))
    return "，".join(parts)


def fits(carrier: Carrier, need: Need) -> list[tuple] | None:
    """None when the carrier cannot serve the need; else the power and water notes (label, offered, unit)."""
    if need.wants_land != carrier.is_land:
        return None
    size = _size(carrier)
    if need.size is not None and (size is None or size < need.size):
        return None
    if need.land_use and carrier.land_use and carrier.land_use != need.land_use:
        return None
    if need.rail and not carrier.rail:
        return None
    notes = []
    for wanted, offered, label, unit in ((need.power_kva, carrier.power_kva, "供电", "kVA"),
                                         (need.water_tpd, carrier.water_tpd, "供水", "吨/日")):
        if wanted is None:
            continue
        if offered is not None and offered < wanted:
            return None
        notes.append((label, offered, unit))
    return notes


def _note_words(label: str, offered: Decimal | None, unit: str) -> str:
    """A power or water note in words, translated only for the matches shown."""
    if offered is None:
        return _("%(label)s能力未登记", label=_(label))
    return _("%(label)s %(n)s %(unit)s 满足需求", label=_(label), n=offered.normalize(), unit=_(unit))


@dataclass
class CarrierMatch:
    carrier: Carrier
    park_name: str
    park_code: str
    park_rank: int  # 0: the project's own park; then the engine's order
    reasons: list[str] = field(default_factory=list)


def _ranked_parks(project: Project, user) -> list[tuple[int, str]]:
    """(park id, why) of the project's own park and the parks the engine ranks for its company.

    Ranked on the engine's park knowledge (positioning, chains and links, industry classification, places
    named) without its precedent part: that part scores every signed project of every park, about 0.2 s a
    company at the benchmark's 20,000 projects, and the company page's suggested parks already show it."""
    parks = [(project.park_id, _("项目拟落户园区"))]
    # the project is within the user's scope, so its company is read whole (user None)
    profile = park_matching.company_profile(project.company_id, user=None)
    ranked = rank_parks(profile, park_index.park_index(), evidence=NO_EVIDENCE, rules=park_index.policy_rules(),
                        top=RANKED_PARKS, evidence_parks=frozenset()) if profile else []
    for match in ranked:
        if match.park.id != project.park_id:
            why = match.reasons[0] if match.reasons else ""
            parks.append((match.park.id, _("匹配引擎推荐：%(why)s", why=why) if why else _("匹配引擎推荐")))
    visible = visible_park_ids(user)
    return [(pid, why) for pid, why in parks if visible is None or pid in visible]


def _candidates(need: Need, park_ids: list[int]):
    """Available carriers of these parks that the need's size, use and rail already admit (the rest in Python)."""
    query = select(Carrier).where(Carrier.park_id.in_(park_ids), Carrier.status == CarrierStatus.available)
    if need.wants_land:
        query = query.where(Carrier.kind == CarrierKind.land)
        if need.land_mu is not None:
            query = query.where(Carrier.area_mu >= need.land_mu)
    else:
        query = query.where(Carrier.kind.in_((CarrierKind.factory, CarrierKind.building)))
        if need.floor_area_m2 is not None:
            query = query.where(Carrier.floor_area_m2 >= need.floor_area_m2)
    if need.land_use:
        query = query.where(Carrier.land_use.in_((need.land_use, "")))
    if need.rail:
        query = query.where(Carrier.rail.is_(True))
    return db.session.scalars(query)


def carrier_matches(project: Project, user, stated: ProjectNeed | None) -> tuple[Need | None, list[CarrierMatch]]:
    need = need_of(project, stated)
    if need is None:
        return None, []
    order = {pid: (rank, why) for rank, (pid, why) in enumerate(_ranked_parks(project, user))}
    found = []
    for carrier in _candidates(need, list(order)):
        notes = fits(carrier, need)
        if notes is not None:
            found.append((carrier, notes))
    # own park first, then the engine's order; within a park the smallest carrier that fits wastes least land
    found.sort(key=lambda m: (order[m[0].park_id][0], _size(m[0]) or 0, not m[0].serviced, m[0].id))
    found = found[:MAX_MATCHES]
    parks = {row.id: row for row in db.session.execute(
        select(Park.id, Park.name, Park.code).where(Park.id.in_({c.park_id for c, _n in found})))} if found else {}
    return need, [CarrierMatch(c, parks[c.park_id].name, parks[c.park_id].code, order[c.park_id][0],
                               [describe(c, parks[c.park_id].name), order[c.park_id][1],
                                *(_note_words(*n) for n in notes)])
                  for c, notes in found]


@dataclass
class LeadMatch:
    project: Project
    need: Need
    reasons: list[str]


def leads_for(carrier: Carrier, user) -> list[LeadMatch]:
    """Open projects in the user's scope whose stated needs this carrier fits: the carrier's park first."""
    rows = db.session.execute(visible_projects(user).add_columns(ProjectNeed)
                              .join(ProjectNeed, ProjectNeed.project_id == Project.id)
                              .where(Project.stage.in_(OPEN_STAGES))
                              .options(joinedload(Project.park))).all()
    found = []
    for project, stated in rows:
        need = need_of(project, stated)
        notes = fits(carrier, need) if need else None
        if notes is None:
            continue
        unit = _("亩") if need.wants_land else _("平方米")
        size = "—" if need.size is None else f"{need.size.normalize():f}"
        reasons = [_("需%(kind)s %(size)s %(unit)s", kind=_("用地") if need.wants_land else _("厂房"), size=size,
                     unit=unit)]
        reasons.append(_("本园区项目") if project.park_id == carrier.park_id else
                       _("拟落户 %(park)s", park=project.park.name))
        found.append(LeadMatch(project, need, [*reasons, *(_note_words(*n) for n in notes)]))
    found.sort(key=lambda m: (m.project.park_id != carrier.park_id, -(m.need.size or 0), m.project.id))
    return found[:MAX_MATCHES]
