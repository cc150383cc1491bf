"""What the demo rows refer to: seeded parks, fair editions and demo users (created once, by name)."""
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from sqlalchemy import func, select

from crm.auth import services as auth_services
from crm.auth.models import User
from crm.companies.models import Company
from crm.core.permissions import Role
from crm.demo import vocab
from crm.events.models import Event, EventType
from crm.extensions import db
from crm.parks.models import Chain, ChainLink, Industry, Park
from crm.seeding import run_seeders

# Demo-only password for every demo account (documented in docs/performance.md); never use in production.
DEMO_PREFIX = "demo_"
SEEDED_SOURCE = "央企名录"  # what crm/companies/seed.py marks the central SOE list with

# (type code, name used when the seeder did not create it, months of the year it is held in)
EVENT_PLAN = (("QINGQIA", "青洽会", (6, 7)), ("SOE-QH", "央企青海行", (8, 9)), ("CARPET", "藏毯节", (5, 6)),
              ("HALAL", "清真食品用品节", (6, 7)), ("ROADSHOW", "招商推介会", (3, 4, 10, 11)))


@dataclass
class Reference:
    parks: list = field(default_factory=list)  # (id, code, [industry ids], [link ids])
    industry_ids: list = field(default_factory=list)
    events: list = field(default_factory=list)  # (id, start date)
    officers: list = field(default_factory=list)  # user ids
    park_staff: dict = field(default_factory=dict)  # park id -> user id
    park_names: dict = field(default_factory=dict)  # park code -> its name, for the texts of the demo rows


def existing_demo(session) -> str | None:
    """Why the database cannot take demo data, or None when it can."""
    if session.scalar(select(User.id).where(User.username.like(f"{DEMO_PREFIX}%")).limit(1)):
        return "demo users"
    # Seeded reference companies (the central SOE list) are fine; anything else is somebody's real data.
    companies = session.scalar(select(func.count(Company.id)).where(Company.source != SEEDED_SOURCE))
    if companies:
        return f"companies={companies}"
    return None


def prepare(rng, today: date, officers: int) -> Reference:
    if not db.session.scalar(select(Park.id).limit(1)):
        run_seeders()
    _ensure_event_types()
    db.session.flush()
    ref = Reference()
    ref.parks = _parks()
    ref.park_names = dict(db.session.execute(select(Park.code, Park.name)).all())
    ref.industry_ids = list(db.session.scalars(
        select(Industry.id).where(Industry.province == "QH").order_by(Industry.id)))
    ref.events = _ensure_events(rng, today)
    ref.officers, ref.park_staff = _ensure_users(officers, ref.parks)
    db.session.commit()
    return ref


def _parks() -> list:
    industries = {i.name: i.id for i in db.session.scalars(select(Industry))}
    links: dict[int, list[int]] = {}
    for park_id, link_id in db.session.execute(
            select(Chain.park_id, ChainLink.id).join(ChainLink.chain).order_by(ChainLink.id)):
        links.setdefault(park_id, []).append(link_id)
    return [(p.id, p.code, [industries[n] for n in p.industries if n in industries], links.get(p.id, []))
            for p in db.session.scalars(select(Park).order_by(Park.id))]


def _ensure_event_types() -> None:
    have = set(db.session.scalars(select(EventType.code)))
    for code, name, _months in EVENT_PLAN:
        if code not in have:
            db.session.add(EventType(code=code, name=name, recurring="yearly" if code == "QINGQIA" else "occasional"))


def _ensure_events(rng, today: date) -> list:
    """青洽会 every year 2015–2026 and the other fairs in some years; kept when they exist already."""
    types = {t.code: t for t in db.session.scalars(select(EventType))}
    have = {(e.type_id, e.year, e.name) for e in db.session.scalars(select(Event))}
    for year in range(2015, today.year + 1):
        for code, _name, months in EVENT_PLAN:
            kind = types[code]
            for n in range(2 if code == "ROADSHOW" else 1):
                if code != "QINGQIA" and code != "ROADSHOW" and rng.random() < 0.4:
                    continue
                _add_event(rng, kind, year, months, n, have)
    db.session.flush()
    return [(e.id, e.start_date) for e in db.session.scalars(select(Event).order_by(Event.id)) if e.start_date]


def _add_event(rng, kind, year, months, n, have) -> None:
    place = ("长三角", "珠三角")[n] if kind.code == "ROADSHOW" else "西宁"
    name = f"{year}年{kind.name}" + (f"（{place}）" if kind.code == "ROADSHOW" else "")
    if (kind.id, year, name) in have:
        return
    start = date(year, rng.choice(months), rng.randint(1, 25))
    edition = f"第{year - 1999}届" if kind.code == "QINGQIA" else ""
    db.session.add(Event(type_id=kind.id, name=name, year=year, edition=edition, start_date=start,
                         end_date=start + timedelta(days=3), place=place, organiser="青海省人民政府"))


def _ensure_users(officers: int, parks: list) -> tuple[list, dict]:
    """Officers, three managers and one park staff account per park, all with the demo password."""
    def make(username, role, display, park_codes=()):
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = auth_services.create_user(username, demo_password(), role, park_codes=park_codes,
                                             display_name=display)
            db.session.flush()
        return user.id

    # Display names as a real bureau's users have: people's names (the role and park are shown beside them).
    officer_ids = [make(f"{DEMO_PREFIX}officer{n:02d}", Role.officer, person_name(n)) for n in range(1, officers + 1)]
    for n in range(1, 4):
        make(f"{DEMO_PREFIX}manager{n}", Role.manager, person_name(100 + n))
    make(f"{DEMO_PREFIX}admin", Role.admin, person_name(200))
    staff = {pid: make(f"{DEMO_PREFIX}park_{code.lower()}", Role.park_staff, person_name(300 + i), [code])
             for i, (pid, code, _i, _l) in enumerate(parks)}
    return officer_ids, staff


def person_name(n: int) -> str:
    """An invented but ordinary Chinese name, the same for the same n (a surname and a given name of two)."""
    given = vocab.GIVEN
    return (vocab.SURNAMES[(n * 7) % len(vocab.SURNAMES)] + given[(n * 3) % len(given)]
            + given[(n * 11 + 5) % len(given)])


@cache
def demo_password() -> str:
    """CRM_DEMO_PASSWORD if given, else one random password per run, printed once by `crm demo`."""
    return os.environ.get("CRM_DEMO_PASSWORD") or auth_services.random_password()
