"""Projects in every stage with consistent stage dates and history, monthly funds and problems."""
import bisect
import itertools
from datetime import date, timedelta
from decimal import Decimal

from crm.demo import vocab
from crm.demo.companies import START, stamp
from crm.projects.stages import PATH, SIGNED_OR_LATER, Stage

STAGE_WEIGHTS = ((Stage.lead, 14), (Stage.negotiating, 16), (Stage.signed, 10), (Stage.preparing, 14),
                 (Stage.started, 26), (Stage.producing, 12), (Stage.dropped, 8))
# Days from the previous stage's date to this one's (low, high).
GAPS = {Stage.negotiating: (0, 90), Stage.signed: (20, 240), Stage.preparing: (10, 120),
        Stage.started: (30, 270), Stage.producing: (120, 600), Stage.dropped: (30, 400)}
DATE_FIELD = {Stage.negotiating: "negotiating_date", Stage.signed: "signed_date", Stage.preparing: "preparing_date",
              Stage.started: "started_date", Stage.producing: "producing_date", Stage.dropped: "dropped_date"}
FUNDED_SHARE = {Stage.signed: (0.01, 0.1), Stage.preparing: (0.05, 0.3), Stage.started: (0.2, 0.8),
                Stage.producing: (0.5, 1.05)}


def _investment(rng) -> Decimal:
    """万元, log-uniform from 1,000 (一千万) to 1,000,000 (100亿), most between 5千万 and 20亿."""
    return Decimal(round(10 ** rng.triangular(3, 6, 4.3), -1))


def _path(rng) -> list[Stage]:
    final = rng.choices([s for s, _ in STAGE_WEIGHTS], weights=[w for _, w in STAGE_WEIGHTS])[0]
    if final != Stage.dropped:
        return PATH[: PATH.index(final) + 1]
    return [*PATH[:rng.randint(1, 5)], Stage.dropped]


def _dates(rng, path: list[Stage], events: list, today: date) -> tuple[dict, int | None]:
    """Dates of every stage reached, anchored on a fair edition for about half of the signings."""
    offsets, total = {}, 0
    for stage in path[1:]:
        total += rng.randint(*GAPS[stage])
        offsets[stage] = total
    signed_at = offsets.get(Stage.signed)
    event_id = None
    if signed_at is not None and rng.random() < 0.5:
        latest = today - timedelta(days=total - signed_at)
        usable = bisect.bisect_right([e[1] for e in events], latest)
        if usable:
            event_id, event_day = events[rng.randrange(usable)]
            return {s: event_day + timedelta(days=o - signed_at) for s, o in offsets.items()}, event_id
    end = today - timedelta(days=rng.randint(0, max(0, (today - START).days - total)))
    return {s: end - timedelta(days=total - o) for s, o in offsets.items()}, event_id


def project_rows(rng, ref, companies: list, first_id: int, count: int, today: date, out: list):
    """Yield project rows; append (id, park, final stage, path, dates, agreed, officer, company) to out."""
    events = sorted(ref.events, key=lambda e: e[1])
    for n in range(count):
        pid = first_id + n
        cid, officer, trade = rng.choice(companies)
        park_id, _code, industries, links = rng.choice(ref.parks)
        path = _path(rng)
        dates, event_id = _dates(rng, path, events, today)
        final = path[-1]
        agreed = _investment(rng)
        template, low, high = rng.choice(vocab.PRODUCTS)
        officer = officer or rng.choice(ref.officers)
        created = dates.get(path[1], today) - timedelta(days=rng.randint(0, 60)) if len(path) > 1 else (
            today - timedelta(days=rng.randint(0, 700)))
        row = _project_row(rng, pid, cid, park_id, industries, links, template.format(n=rng.randint(low, high)),
                           trade, agreed, officer, final, dates, event_id, today)
        row.update(created_at=stamp(created, rng), updated_at=stamp(max([created, *dates.values()]), rng))
        out.append((pid, park_id, final, path, dates, agreed, officer, cid))
        yield row


def _project_row(rng, pid, cid, park_id, industries, links, name, trade, agreed, officer, final, dates, event_id,
                 today) -> dict:
    fixed = (agreed * Decimal(rng.uniform(0.6, 0.95))).quantize(Decimal("0.01"))
    signed = dates.get(Stage.signed)
    big = agreed >= 100000
    row = {
        "id": pid, "name": f"{name}项目", "company_id": cid, "park_id": park_id,
        "industry_id": rng.choice(industries) if industries else None,
        "link_id": rng.choice(links) if links and rng.random() < 0.6 else None,
        "content": f"建设{name}生产线及配套设施，主营{vocab.TRADES[trade][1]}。", "agreed_investment": agreed,
        "fixed_asset_investment": fixed, "land_mu": (fixed / Decimal(rng.randint(200, 700))).quantize(Decimal("0.1")),
        "planned_output": (agreed * Decimal(rng.uniform(0.5, 2))).quantize(Decimal("1")),
        "jobs": rng.randint(20, 2000), "energy_use": Decimal(rng.randint(500, 200000)), "officer_id": officer,
        "responsible_unit": rng.choice(vocab.UNITS),
        "contact_leader": (rng.choice(vocab.SURNAMES) + rng.choice(vocab.LEADER_TITLES)) if big else "",
        "leader_level": rng.choice(("省", "市州")) if big else "",
        "reserve_level": rng.choice(("省级", "市州级", "县级")),
        "source": "fair" if event_id else rng.choice(("visit", "roadshow", "referral")), "notes": "",
        "stage": final, "counted_stage": final, "event_id": event_id,
        "registered_date": None, "local_credit_code": "", "dropped_reason": "", "gbt_code": "",
        "planned_sign_date": None, "planned_start_date": None, "planned_production_date": None, "status_color": "",
        "created_by_id": officer, "updated_by_id": officer, "version": 1,
    }
    row.update({field: dates.get(stage) for stage, field in DATE_FIELD.items()})
    if final == Stage.dropped:
        row["dropped_reason"] = rng.choice(vocab.DROP_REASONS)
    if final in (Stage.lead, Stage.negotiating):  # some planned signings already late
        row["planned_sign_date"] = today + timedelta(days=rng.randint(-120, 300))
    if final in (Stage.signed, Stage.preparing):
        row["planned_start_date"] = signed + timedelta(days=rng.randint(90, 400))
    if final == Stage.started:
        row["planned_production_date"] = dates[Stage.started] + timedelta(days=rng.randint(300, 900))
    if Stage.preparing in dates:
        row["registered_date"] = min(today, dates[Stage.preparing] + timedelta(days=rng.randint(0, 60)))
    return row


def stage_change_rows(rng, projects: list, first_id: int):
    sid = first_id
    for pid, _park, _final, path, dates, agreed, officer, _cid in projects:
        for before, after in itertools.pairwise(path):
            day = dates[after]
            facts = {DATE_FIELD[after]: day.isoformat()}
            if after == Stage.signed:
                facts["agreed_investment"] = str(agreed)
            yield {"id": sid, "project_id": pid, "from_stage": before, "to_stage": after, "fact_date": day,
                   "facts": facts, "comment": "", "actor_id": officer, "at": stamp(day, rng), "is_undo": False,
                   "review_status": "approved", "reviewed_by_id": None, "reviewed_at": None, "review_comment": ""}
            sid += 1


def _months(start: date, today: date) -> list[date]:
    months, day = [], start.replace(day=1)
    while day <= today:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def funds_rows(rng, ref, projects: list, first_id: int, total: int, today: date):
    """Monthly approved entries for signed-or-later projects, summing to a stage-typical share of agreed."""
    funded = [p for p in projects if p[2] in SIGNED_OR_LATER]
    per_project = total / max(len(funded), 1)
    fid, left = first_id, total
    for pid, park, final, _path, dates, agreed, _officer, _cid in funded:
        months = _months(dates[Stage.signed], today)
        k = min(len(months), max(1, round(rng.uniform(0.5, 1.5) * per_project)), left)
        if k <= 0:
            break
        left -= k
        share = Decimal(rng.uniform(*FUNDED_SHARE[final]))
        amount = (agreed * share / k).quantize(Decimal("0.01"))
        for period in sorted(rng.sample(months, k)):
            entered = min(today, period + timedelta(days=rng.randint(32, 45)))
            yield {"id": fid, "project_id": pid, "period": period, "amount": amount,
                   "source": rng.choices(("省外境内", "省内", "境外"), weights=(70, 20, 10))[0],
                   "use": "fixed_assets" if rng.random() < 0.8 else "working_capital", "evidence": "bank_receipt",
                   "attachment": "", "note": "", "entered_by_id": ref.park_staff.get(park),
                   "created_at": stamp(entered, rng), "superseded_by_id": None, "review_status": "approved",
                   "reviewed_by_id": None, "reviewed_at": None, "review_comment": ""}
            fid += 1


def problem_rows(rng, ref, projects: list, first_id: int, total: int, today: date):
    eligible = [p for p in projects if p[2] in (Stage.signed, Stage.preparing, Stage.started)]
    for n in range(total if eligible else 0):
        pid, park, _final, _path, dates, _agreed, _officer, _cid = rng.choice(eligible)
        category, text = rng.choice(vocab.PROBLEMS)
        raised = min(today, dates[Stage.signed] + timedelta(days=rng.randint(0, 400)))
        status = rng.choices(("open", "in_hand", "solved", "cannot_solve"), weights=(30, 30, 35, 5))[0]
        resolved = min(today, raised + timedelta(days=rng.randint(5, 120))) if status == "solved" else None
        yield {"id": first_id + n, "project_id": pid, "description": text, "category": category,
               "raised_by_id": ref.park_staff.get(park), "raised_on": raised,
               "responsible_unit": rng.choice(vocab.UNITS), "due_date": raised + timedelta(days=rng.randint(30, 180)),
               "status": status, "resolution": "已协调解决" if resolved else "", "resolved_on": resolved,
               "created_at": stamp(raised, rng), "updated_at": stamp(resolved or raised, rng)}
