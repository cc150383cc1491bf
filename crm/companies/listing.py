"""The company list (page and API): which ids a page shows, and the columns it shows of them as plain rows.

Paging: the list counts its matches up to COUNT_CAP + 1, then reads the page either along the sort index,
testing each entry (about (offset + per_page) x companies / matches entries), or from the matches' own index,
sorting them: whichever reads less. The whole list and dense matches always walk; a far page reads only the
sort index. A search collects its matching ids once, testing its condition on its candidates only
(search.candidates), and pages among them. Rows: one statement for the companies with their industry and
officer names, one for their tiers, instead of entities with three relationship loads.
"""
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from flask import url_for
from sqlalchemy import ARRAY, Integer, Select, String, any_, bindparam, cast, func, literal, select

from crm.auth.models import User
from crm.companies import keyset, landmarks, queries, search
from crm.companies.models import Company, CompanyTier
from crm.companies.serialise import company_fields
from crm.core.pagination import COUNT_CAP, Page
from crm.core.scope import visible_park_ids
from crm.parks.models import Industry

WALK_COST = 4  # index entries walked for the price of one row read and sorted, roughly (SQLite, PostgreSQL)


class Tier(NamedTuple):
    tier: str
    year: int | None
    rank: int | None


@dataclass(slots=True)
class CompanyRow:
    """What a list row shows of a company (templates/companies/_table.html)."""

    id: int
    url: str
    name: str
    credit_code: str | None
    ownership: str
    industry: str | None
    hq_province: str
    hq_city: str
    officer: str | None
    last_contact_on: date | None
    revenue: Decimal | None
    updated_at: datetime
    tiers: list[Tier]


def page(session, user, f: queries.Filters, *, today: date, page_no: int, per_page: int, load,
         after: str | None = None) -> Page:
    """Page `page_no` of the list `f` describes; load(session, ids) gives {id: row} for the page's ids.
    after: the cursor of the previous page's next link (keyset.py); then page_no only numbers the page."""
    offset = (page_no - 1) * per_page
    plan_for_these_values(session)
    candidates = search.candidates(session, f.q) if f.q else None
    seek = keyset.after(f.sort, after)
    skip = 0 if seek is not None else offset
    if candidates is None:
        matching = queries.company_list_ids(user, f, today=today)
        whole_list = visible_park_ids(user) is None
        far = seek is None and landmarks.applies(f, whole_list, offset)
        by_tier = f.tier if whole_list and f.tier and f == queries.Filters(tier=f.tier, sort=f.sort) else None
        counted, companies, *latest_update = session.execute(
            _counted(matching, *([landmarks.latest_update_column()] if far else []), tier=by_tier)).one()
        total, capped = min(counted, COUNT_CAP), counted > COUNT_CAP
        along = total and (capped or _walk_is_cheaper(companies, total, offset + per_page))
        query = queries.company_list_ids(user, f, today=today, along_sort_index=along) if along else matching
        if far and along:
            seek, skip = landmarks.seek(session, f.sort, query, offset, (companies, *latest_update))
    else:
        if _narrowed_beyond_search(f, user):
            matching = queries.company_list_ids(user, f, today=today, candidates=candidates)
        else:
            matching = search.matching_ids(f.q, candidates)
        found, companies = _matching_ids(session, matching)
        total, capped = min(len(found), COUNT_CAP), len(found) > COUNT_CAP
        if capped:
            query = queries.company_list_ids(user, f, today=today, candidates=candidates, along_sort_index=True)
        else:
            along = _walk_is_cheaper(companies, total, offset + per_page)
            query = (select(Company.id).where(Company.merged_into_id.is_(None), _id_among(session, found, along))
                     .order_by(*queries.SORTS[f.sort]))
    query = query.add_columns(*keyset.key_columns(f.sort))
    if seek is not None:
        query = query.where(seek)
    found = session.execute(query.limit(per_page).offset(skip or None)).all() if total else []
    ids = [row[0] for row in found]
    rows = load(session, ids) if ids else {}
    next_after = keyset.cursor(f.sort, found[-1]) if len(found) == per_page else None
    return Page([rows[i] for i in ids if i in rows], total, capped, page_no, per_page, next_after=next_after)


def plan_for_these_values(session) -> None:
    """PostgreSQL: plan this transaction's statements for their values. Statements run often get one generic
    plan (crm.core.db.end_read_only_transaction keeps them prepared); the best plan of a list depends on how
    many companies its search or filters match, which a generic plan cannot know."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.set_config("plan_cache_mode", "force_custom_plan", True)))


def _narrowed_beyond_search(f: queries.Filters, user) -> bool:
    filters = (f.tier, f.ownership, f.industry, f.province, f.officer, f.open_project, f.stale_days)
    return any(filters) or visible_park_ids(user) is not None


def _companies():
    return search.company_bound().scalar_subquery()


def _counted(matching: Select, *more, tier: str | None = None) -> Select:
    """(matches counted up to COUNT_CAP + 1, _companies(), *more) in one statement. tier: the list is the live
    holders of this tier and nothing else, counted off the tier index (queries.live_holders_count)."""
    if tier:
        return select(queries.live_holders_count(tier), _companies(), *more)
    counted = matching.order_by(None).limit(COUNT_CAP + 1).subquery()
    return select(func.count(), _companies(), *more).select_from(counted)


def _matching_ids(session, matching: Select) -> tuple[list[int], int]:
    """(up to COUNT_CAP + 1 matching ids in no order: the count and the set a page is read from,
    _companies()). The ids are gathered into one value in SQL (an array, JSON on SQLite): thousands of result
    rows cost more than finding them."""
    ids = matching.order_by(None).limit(COUNT_CAP + 1).subquery()
    if session.get_bind().dialect.name == "postgresql":
        found, companies = session.execute(select(func.array_agg(ids.c.id), _companies())).one()
        return found or [], companies or 0
    found, companies = session.execute(select(func.json_group_array(ids.c.id), _companies())).one()
    return json.loads(found), companies or 0


def _walk_is_cheaper(companies: int, matches: int, through: int) -> bool:
    """Matches spread evenly over the sort order: walking the sort index to the page's end reads through x
    companies / matches entries; sorting the matches reads each one's row."""
    return through * (companies or 0) <= WALK_COST * matches * matches


def _id_among(session, ids: list[int], along_sort_index: bool):
    """Up to 10,000 ids as one parameter (an array on PostgreSQL, JSON on SQLite): thousands of binds cost
    more than the query. along_sort_index: see queries.company_list_ids (PostgreSQL's planner weighs it)."""
    if session.get_bind().dialect.name == "postgresql":
        return Company.id == any_(literal(ids, ARRAY(Integer)))
    column = queries.unindexed(Company.id) if along_sort_index else Company.id
    return column.in_(select(func.json_each(json.dumps(ids)).table_valued("value").c.value))


def url_maker(endpoint: str, key: str):
    """id → url_for(endpoint, key=id), calling url_for once per page instead of once per row."""
    marker = "987654321"
    head, tail = url_for(endpoint, **{key: int(marker)}).split(marker)
    return lambda value: f"{head}{value}{tail}"


# A company's tiers travel with its row as one string: "id\x1ftier\x1fyear\x1frank" per tier, joined by
# \x1e (ASCII's unit and record separators, taken out of the names, where an import could have put them). A
# statement of their own was a round trip more for every list page, on PostgreSQL about a twentieth of it.
_UNIT, _RECORD = "\x1f", "\x1e"


def _tiers_column():
    name = func.replace(func.replace(CompanyTier.tier, _UNIT, ""), _RECORD, "")
    parts = [func.coalesce(cast(column, String), "") for column in
             (CompanyTier.id, name, CompanyTier.year, CompanyTier.rank)]
    joined = parts[0] + _UNIT + parts[1] + _UNIT + parts[2] + _UNIT + parts[3]
    return (select(func.aggregate_strings(joined, _RECORD)).where(CompanyTier.company_id == Company.id)
            .scalar_subquery().label("tiers"))


def _tiers(joined: str | None) -> list[Tier]:
    """The tiers of _tiers_column in Company.tiers' order: newest year first (no year last), then as added."""
    if not joined:
        return []
    found = []
    for record in joined.split(_RECORD):
        tier_id, tier, year, rank = record.split(_UNIT)
        found.append((int(tier_id), Tier(tier, int(year) if year else None, int(rank) if rank else None)))
    found.sort(key=lambda pair: (pair[1].year is None, -(pair[1].year or 0), pair[0]))
    return [tier for _id, tier in found]


@cache
def _statements() -> dict:
    ids = bindparam("ids", expanding=True)

    def with_names(query):
        return (query.add_columns(_tiers_column()).outerjoin(Industry, Industry.id == Company.industry_id)
                .outerjoin(User, User.id == Company.officer_id).where(Company.id.in_(ids)))

    return {
        "rows": with_names(select(Company.id, Company.name, Company.credit_code, Company.ownership,
                                  Industry.name.label("industry_name"), Company.hq_province, Company.hq_city,
                                  User.display_name, User.username, Company.last_contact_on, Company.revenue,
                                  Company.updated_at)),
        "api_rows": with_names(select(Company.__table__, Industry.name.label("industry_name"),
                                      User.display_name.label("officer_display"),
                                      User.username.label("officer_username"))),
    }


def _officer_name(display_name: str | None, username: str | None) -> str | None:
    return None if username is None else display_name or username  # User.name, for an outer-joined user


def list_rows(session, ids) -> dict[int, CompanyRow]:
    """The page's rows: companies with their industry and officer names and their tiers, in one statement."""
    url = url_maker("companies.detail", "company_id")
    return {r.id: CompanyRow(id=r.id, url=url(r.id), name=r.name, credit_code=r.credit_code, ownership=r.ownership,
                             industry=r.industry_name, hq_province=r.hq_province, hq_city=r.hq_city,
                             officer=_officer_name(r.display_name, r.username), last_contact_on=r.last_contact_on,
                             revenue=r.revenue, updated_at=r.updated_at, tiers=_tiers(r.tiers))
            for r in session.execute(_statements()["rows"], {"ids": ids})}


def api_rows(session, ids) -> dict[int, dict]:
    """The API list's items (serialise.company_fields) from plain rows: every column, names and tiers."""
    return {row.id: company_fields(row, industry=row.industry_name,
                                   officer=_officer_name(row.officer_display, row.officer_username),
                                   tiers=_tiers(row.tiers))
            for row in session.execute(_statements()["api_rows"], {"ids": ids})}
