"""Pagination that stays fast on big tables: a capped count, ids first, and (the company list) keyset paging."""
from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import Select, func, select

COUNT_CAP = 10_000
MAX_PER_PAGE = 200
NARROW_BELOW = COUNT_CAP  # a search under the cap sorts its own matches (a literal IN list)


def page_args(default_per_page: int = 50) -> tuple[int, int]:
    """Page and per_page from the query string, clamped; bad values fall back to the defaults."""
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    try:
        per_page = min(MAX_PER_PAGE, max(1, int(request.args.get("per_page", default_per_page))))
    except ValueError:
        per_page = default_per_page
    return min(page, 100_000), per_page


@dataclass
class Page:
    items: list[Any]
    total: int
    total_capped: bool
    page: int
    per_page: int
    next_after: str | None = None  # the next page's keyset cursor, where the list pages by keyset

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or (self.total_capped and len(self.items) == self.per_page)

    def numbers(self, around: int = 2) -> list[int | None]:
        """The page numbers a pager shows: the first, the last and `around` either side of this one; None for a gap."""
        shown = sorted({1, self.pages, *range(max(1, self.page - around), min(self.pages, self.page + around) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - out[-1] > 1:
                out.append(n - 1 if n - out[-1] == 2 else None)  # a gap of one page shows that page instead
            out.append(n)
        return out

    @property
    def total_label(self) -> str:
        return f"{self.total:,}+" if self.total_capped else f"{self.total:,}"


def capped_count(session, query: Select, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """Count at most cap+1 rows: exact below the cap, "10,000+" above, never a full scan."""
    limited = query.order_by(None).limit(cap + 1).subquery()
    n = session.execute(select(func.count()).select_from(limited)).scalar_one()
    return min(n, cap), n > cap


def paginate(session, query: Select, page: int, per_page: int, *, exact_count: bool = False) -> Page:
    if exact_count:
        total = session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
        capped = False
    else:
        total, capped = capped_count(session, query)
    items = session.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Page(list(items), total, capped, page, per_page)


def paginate_ids(session, ids_query: Select, load, page: int, per_page: int, *, narrow=None) -> Page:
    """Deferred join for big tables: page through ids alone (an index-only scan, so a far page costs about
    what the first does), then load just those rows with load(ids) and keep the ids' order.

    narrow(ids) -> Select, for searches that cannot use an index: one bounded scan collects the matching ids
    (it is the count too); when they are few, the page is sorted from them instead of walking the whole sort
    index in search of rare matches. Many matches are dense, so walking the index finds a page quickly."""
    if narrow is None:
        total, capped = capped_count(session, ids_query)
    else:
        # plain Core execution: up to 10,001 ids through the ORM's row machinery would cost more than the scan
        found = list(session.connection().execute(ids_query.order_by(None).limit(COUNT_CAP + 1)).scalars())
        total, capped = min(len(found), COUNT_CAP), len(found) > COUNT_CAP
        if len(found) <= NARROW_BELOW:
            ids_query = narrow(found)
    ids = list(session.scalars(ids_query.limit(per_page).offset((page - 1) * per_page))) if total else []
    rows = {row.id: row for row in load(ids)} if ids else {}
    return Page([rows[i] for i in ids if i in rows], total, capped, page, per_page)
