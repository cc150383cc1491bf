"""Demo carriers for every park (parcels, standard factories, buildings), some supplied to the park's signed
projects (a few lying idle), and landed projects' yearly figures: rows for the demo's bulk insert."""
import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select

from crm.extensions import db
from crm.land.models import CarrierKind, CarrierStatus
from crm.parks.models import Park
from crm.projects.models import Project

UTC_NOON = time(4, 0)  # noon in Asia/Shanghai
KINDS = ((CarrierKind.land, 70), (CarrierKind.factory, 20), (CarrierKind.building, 10))
LOCATIONS = ("纬一路以北", "经二路东侧", "园区大道南段", "滨河路西侧", "物流园北区", "创业路与发展路交叉口")
SUPPLIED_SHARE = 0.45


def _at(day: date) -> datetime:
    return datetime.combine(day, UTC_NOON, tzinfo=UTC)


def _carrier(rng, cid: int, park_id: int, n: int, kind: str, created: date) -> dict:
    land = kind == CarrierKind.land
    label = {"land": "号地块", "factory": "号标准厂房", "building": "号楼宇"}[kind]
    row = {"id": cid, "park_id": park_id, "kind": kind, "name": f"{n}{label}", "status": CarrierStatus.available,
           "status_date": None, "serviced": rng.random() < 0.7, "rail": land and rng.random() < 0.15,
           "power_kva": Decimal(rng.choice((800, 2000, 5000, 10000))),
           "water_tpd": Decimal(rng.choice((100, 500, 2000))),
           "location": rng.choice(LOCATIONS), "latitude": None, "longitude": None, "notes": "", "created_by_id": None,
           "version": 1, "created_at": _at(created), "updated_at": _at(created),
           # the other kind's columns stay empty
           "area_mu": None, "plot_ratio_min": None, "plot_ratio_max": None, "floor_area_m2": None, "floors": None,
           "floor_load": None, "height_m": None, "rent": None}
    if land:
        row.update(land_use=rng.choice(("工业", "工业", "工业", "仓储", "商服")),
                   area_mu=Decimal(rng.randrange(20, 600)) / 2,
                   plot_ratio_min=Decimal("1.0"), plot_ratio_max=Decimal(rng.choice((2, 3))),
                   price=Decimal(rng.randint(8, 40)))
    else:
        row.update(land_use="工业", floor_area_m2=Decimal(rng.randrange(20, 300) * 100), floors=rng.randint(1, 6),
                   floor_load=Decimal(rng.choice((5, 8, 10))), height_m=Decimal(rng.choice((6, 8, 10))),
                   rent=Decimal(rng.randint(8, 25)), price=Decimal(rng.randint(1800, 3500)))
    return row


def _projects_by_park() -> dict[int, list]:
    rows = db.session.execute(select(Project.id, Project.park_id, Project.stage, Project.signed_date,
                                     Project.started_date, Project.land_mu)
                              .where(Project.stage.in_(("signed", "preparing", "started", "producing")))
                              .order_by(Project.id)).all()
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row.park_id, []).append(row)
    return found


class Rows:
    def __init__(self, first_ids: dict[str, int]):
        self.ids = dict(first_ids)
        self.carriers, self.changes, self.supplies, self.yearly = [], [], [], []

    def next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table] - 1

    def change(self, carrier: dict, to: str, day: date, project_id=None, comment="", *, first=False) -> None:
        self.changes.append({"id": self.next("changes"), "carrier_id": carrier["id"],
                             "from_status": "" if first else carrier["status"], "to_status": to, "fact_date": day,
                             "project_id": project_id, "comment": comment, "actor_id": None, "at": _at(day)})
        carrier["status"], carrier["status_date"] = to, None if first else day


def _supply(rng, rows: Rows, carrier: dict, project, today: date) -> None:
    # supplied after the signing, mostly within the last two and a half years: some parcels idle, a few past two
    day = min(today, max(project.signed_date + timedelta(days=rng.randint(10, 90)),
                         today - timedelta(days=rng.randint(30, 900))))
    agreed = day + timedelta(days=rng.randint(30, 120))
    land = carrier["kind"] == CarrierKind.land
    if land:
        carrier["land_use"] = "工业"  # the demo's projects are industrial
    if land and project.land_mu:  # a parcel cut to the project's land
        carrier["area_mu"] = max(Decimal(1), (Decimal(project.land_mu) * 2).to_integral_value(ROUND_CEILING) / 2)
    started = project.started_date if project.stage in ("started", "producing") else None
    if started and started < day:
        started = None  # a start before the supply: the parcel's own start is not known
    rows.change(carrier, CarrierStatus.supplied if land else CarrierStatus.leased, day, project.id,
                f"合同 GD-{day.year}-{carrier['id']:04d}")
    rows.supplies.append({"id": rows.next("supplies"), "carrier_id": carrier["id"], "project_id": project.id,
                          "supplied_on": day, "area_mu": carrier["area_mu"] if land else None,
                          "floor_area_m2": None if land else carrier["floor_area_m2"],
                          "contract_no": f"GD-{day.year}-{carrier['id']:04d}", "agreed_start": agreed if land else None,
                          "started_on": started, "ended_on": None, "actor_id": None, "at": _at(day)})
    if started:
        rows.change(carrier, CarrierStatus.started, started, project.id)
    elif land and project.stage in ("signed", "preparing") and today > agreed.replace(year=agreed.year + 1):
        rows.change(carrier, CarrierStatus.idle, agreed.replace(year=agreed.year + 1) + timedelta(days=1),
                    project.id, "约定动工日期起满一年未动工")


def carrier_rows(rng: random.Random, today: date, per_park: int, first_ids: dict[str, int]) -> Rows:
    rows = Rows(first_ids)
    projects = _projects_by_park()
    for park_id in db.session.scalars(select(Park.id).order_by(Park.id)):
        waiting = [p for p in projects.get(park_id, []) if p.signed_date]
        rng.shuffle(waiting)
        for n in range(1, per_park + 1):
            kind = rng.choices([k for k, _w in KINDS], weights=[w for _k, w in KINDS])[0]
            taker = waiting.pop() if waiting and rng.random() < SUPPLIED_SHARE else None
            created = today - timedelta(days=rng.randint(60, 900))
            if taker is not None:  # on offer before the project that takes it signed
                created = min(created, taker.signed_date - timedelta(days=rng.randint(30, 300)))
            carrier = _carrier(rng, rows.next("carriers"), park_id, n, kind, created)
            rows.change(carrier, CarrierStatus.available, created, comment="登记载体", first=True)
            rows.carriers.append(carrier)
            if taker is not None:
                _supply(rng, rows, carrier, taker, today)
            elif rng.random() < 0.15:
                rows.change(carrier, CarrierStatus.intended, today - timedelta(days=rng.randint(5, 120)))
    return rows


def yearly_rows(rng: random.Random, today: date, first_id: int):
    """Yearly figures of started and producing projects for the years after their start (at most four)."""
    query = select(Project.id, Project.started_date, Project.fixed_asset_investment, Project.jobs,
                   Project.energy_use).where(Project.stage.in_(("started", "producing")),
                                             Project.started_date.is_not(None)).order_by(Project.id)
    fid = first_id
    for row in db.session.execute(query):
        base = Decimal(row.fixed_asset_investment or 1000) * Decimal(rng.uniform(0.3, 1.4))
        for year in range(max(row.started_date.year + 1, today.year - 4), today.year):
            output = (base * Decimal(1 + 0.08 * (year - row.started_date.year))).quantize(Decimal(1))
            yield {"id": fid, "project_id": row.id, "year": year, "output_value": output,
                   "tax": (output * Decimal(rng.uniform(0.02, 0.09))).quantize(Decimal("0.1")),
                   "energy_use": row.energy_use, "employees": row.jobs, "entered_by_id": None,
                   "created_at": _at(date(year + 1, 3, 1)), "updated_at": _at(date(year + 1, 3, 1))}
            fid += 1
