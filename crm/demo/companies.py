"""Companies with tiers, contacts and contact logs; invented names, valid credit codes, pinyin keys."""
import bisect
import itertools
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from stdnum.cn import uscc

from crm.companies import names
from crm.demo import vocab

START = date(2015, 1, 1)


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def stamp(day: date, rng=None) -> datetime:
    hour = rng.randint(1, 10) if rng else 2  # 09:00–18:00 Beijing time is 01:00–10:00 UTC
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


class NameMaker:
    """Unique invented names; pinyin cached per part (the trade name per character: 10× faster at 100,000)."""

    def __init__(self, rng):
        self.rng, self.seen, self.cache = rng, set(), {}

    def _keys(self, part: str) -> tuple[str, str]:
        if part not in self.cache:
            self.cache[part] = (names.pinyin_full(part), names.pinyin_initials(part))
        return self.cache[part]

    def make(self) -> tuple[str, str, str, str, str, int]:
        """name, norm, full pinyin, initials, search words (names.search_words: the norm's pinyin), trade."""
        rng = self.rng
        while True:
            trade_index = rng.randrange(len(vocab.TRADES))
            parts = [rng.choice(vocab.PLACES), rng.choice(vocab.TRADE_CHARS) + rng.choice(vocab.TRADE_CHARS),
                     vocab.TRADES[trade_index][0], rng.choice(vocab.SUFFIXES)]
            if rng.random() < 0.3:  # a third trade character makes room for 100,000+ distinct names
                parts[1] += rng.choice(vocab.TRADE_CHARS)
            name = "".join(parts)
            norm = names.normalise_name(name)
            if norm not in self.seen:
                self.seen.add(norm)
                keys = [self._keys(parts[0]), *(self._keys(c) for c in parts[1]), self._keys(parts[2]),
                        self._keys(parts[3])]
                words = "|" + "".join(k[0] for k in keys[:-1]) + "|"  # every demo suffix is one normalise_name drops
                return name, norm, "".join(k[0] for k in keys), "".join(k[1] for k in keys), words, trade_index


def credit_code(serial: int, region: str) -> str:
    body = f"91{region}{serial:09d}"[:17]
    return body + uscc.calc_check_digit(body)


def plan_logs(rng, count: int, total_logs: int) -> list[int]:
    """How many logs each company gets: skewed, a few companies hold many, a third hold none."""
    weights = [rng.expovariate(1.0) if rng.random() < 0.7 else 0.0 for _ in range(count)]
    cumulative = list(itertools.accumulate(weights))
    counts = [0] * count
    top = cumulative[-1]
    for _ in range(total_logs):
        counts[bisect.bisect_left(cumulative, rng.random() * top)] += 1
    return counts


def company_rows(rng, ref, first_id: int, count: int, log_counts: list[int], today: date, plan: list):
    """Yield company rows; append (id, officer, last contact, log count, trade) to plan for the logs."""
    maker = NameMaker(rng)
    span = (today - START).days
    for n in range(count):
        cid = first_id + n
        name, norm, full, initials, words, trade = maker.make()
        officer = rng.choice(ref.officers) if rng.random() < 0.7 else None
        logs = log_counts[n]
        last = today - timedelta(days=min(int(rng.expovariate(1 / 240)), span)) if logs else None
        created = START + timedelta(days=rng.randrange(span))
        if last and created > last:
            created = last
        province, city = rng.choice(vocab.HQ)
        ownership = _weighted(rng, vocab.OWNERSHIP)
        plan.append((cid, officer, last, logs, trade, ownership))
        yield {
            "id": cid, "name": name, "name_norm": norm, "former_names": [], "former_norms": "", "aliases": [],
            "search_words": words, "industry_text": "", "gbt_code": "",
            "credit_code": credit_code(cid, "630100" if province == "青海省" else "310000") if rng.random() < 0.85
            else None,
            "ownership": ownership, "listed_exchange": "", "listed_code": "", "hq_province": province,
            "hq_city": city, "industry_id": rng.choice(ref.industry_ids), "main_business": vocab.TRADES[trade][1],
            "registered_capital": Decimal(rng.choice((500, 1000, 2000, 5000, 10000, 50000, 100000))),
            "revenue": Decimal(rng.randint(1000, 5_000_000)) if rng.random() < 0.6 else None,
            "website": "", "source": rng.choice(vocab.COMPANY_SOURCES), "officer_id": officer, "tags": [],
            "notes": "", "pinyin_full": full, "pinyin_initials": initials, "last_contact_on": last,
            "merged_into_id": None, "created_by_id": officer, "updated_by_id": officer, "version": 1,
            "created_at": stamp(created, rng), "updated_at": stamp(last or created, rng),
        }


def tier_rows(rng, plan: list, first_id: int):
    """Central SOEs carry the 央企 tier; about one company in eight holds one or two rankings."""
    tid = first_id
    for cid, _officer, _last, _logs, _trade, ownership in plan:
        tiers = {"央企"} if ownership == "央企" else set()
        if rng.random() < 0.12:
            tiers.update(rng.sample(vocab.TIER_NAMES, rng.randint(1, 2)))
        for tier in sorted(tiers):
            for year in sorted(rng.sample(range(2021, 2026), rng.randint(1, 2))):
                yield {"id": tid, "company_id": cid, "tier": tier, "year": year,
                       "rank": rng.randint(1, 500) if "500" in tier else None}
                tid += 1


def contact_rows(rng, plan: list, first_id: int, total: int):
    per_company = total / max(len(plan), 1)
    cid_counter = first_id
    for cid, _officer, last, _logs, _trade, _own in plan:
        for k in range(max(1, round(rng.uniform(0.4, 1.6) * per_company))):
            given = "".join(rng.choice(vocab.GIVEN) for _ in range(rng.randint(1, 2)))
            created = stamp(last or START, rng)
            yield {"id": cid_counter, "company_id": cid, "name": rng.choice(vocab.SURNAMES) + given,
                   "title": rng.choice(vocab.TITLES), "mobile": f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
                   "phone": "", "email": "", "wechat": "", "notes": "", "is_primary": k == 0,
                   "created_at": created, "updated_at": created}
            cid_counter += 1


def log_rows(rng, ref, plan: list, first_id: int, today: date, projects_of: dict):
    """Each company's logs end on its last_contact_on; a fair share of logs refer to its projects."""
    lid = first_id
    parks = [ref.park_names.get(p[1], p[1]) for p in ref.parks]  # the park's name, as an officer writes it
    for cid, officer, last, count, trade, _own in plan:
        if not count:
            continue
        first = max(START, last - timedelta(days=365 * 4))
        window = (last - first).days
        projects = projects_of.get(cid, ())
        for k in range(count):
            day = last if k == 0 else first + timedelta(days=rng.randint(0, window))
            follow = day + timedelta(days=rng.randint(7, 60)) if rng.random() < 0.5 else None
            summary = rng.choice(vocab.LOG_SUMMARIES).format(park=rng.choice(parks), trade=vocab.TRADES[trade][1])
            yield {"id": lid, "company_id": cid, "date": day, "kind": _weighted(rng, vocab.LOG_KINDS),
                   "officer_id": officer or rng.choice(ref.officers), "summary": summary,
                   "next_step": rng.choice(vocab.NEXT_STEPS), "next_follow_up": follow,
                   "project_id": rng.choice(projects) if projects and rng.random() < 0.5 else None,
                   "trip_id": None, "created_at": stamp(day, rng)}
            lid += 1
