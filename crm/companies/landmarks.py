"""Landmarks for far pages reached by their number: the sort key of every STEP-th live company in each keyset
sort, kept in each worker process, so page 1,995 of the whole list seeks to the landmark before it and skips
fewer than STEP index entries instead of 99,700.

Only the whole list of a user who sees every company has landmarks: its order depends on the companies table
alone (filters and park scopes would make one set per combination, each read in full to build). A next link
carries its own cursor (keyset.py) and needs none; a page number typed into the address, the pager's previous
link and an API client's page parameter use them.

A set stays in use while the companies' largest id and latest update time are those it was built under (read
with the page's count, no extra statement), and for MAX_AGE at most. Every product write of a company moves
one of the two (a new id, or updated_at on any update; companies are merged, never deleted), so a set is
rebuilt after any change of the order. The age bound covers the rare write committed after a later one and
stamped earlier than it, which leaves both maxima in place: until the set expires, pages may then be off by
one row each way, as OFFSET pages are for anyone who pages while others edit.
"""
import time
from dataclasses import dataclass

from sqlalchemy import Select, func, literal_column, select
from sqlalchemy.orm import aliased

from crm.companies import keyset, queries
from crm.companies.models import Company

STEP = 1000  # index entries between landmarks: the most a far page skips
MAX_AGE = 300  # seconds


@dataclass(frozen=True, slots=True)
class _Set:
    fingerprint: tuple
    built: float
    rows: list  # row k - 1: (id, *keyset.key_columns(sort)) of the (k x STEP)-th company in the sort order


_SETS: dict[str, _Set] = {}  # sort -> set, in this process


def applies(f: queries.Filters, whole_list: bool, offset: int) -> bool:
    """Whether a page at `offset` of list `f` would read landmarks: a far page of the unfiltered, unscoped list
    in a keyset sort (whole_list: the user sees every company)."""
    return (offset >= STEP and whole_list and f.sort in keyset.KEYS
            and f == queries.Filters(sort=f.sort))


def latest_update_column():
    """The companies' latest update time, to read with the page's count, which reads their largest id already
    (search.company_bound): together they change with every write of a company. A subquery of its own, as
    SQLite looks up a max() in an index only when it is a statement's one aggregate."""
    return select(func.max(Company.updated_at)).scalar_subquery()


def seek(session, sort: str, ordered_ids: Select, offset: int, fingerprint: tuple):
    """(condition, remaining offset): the page at `offset` of `ordered_ids` (the whole list's ids in sort order)
    read as the rows after the nearest landmark, skipping what remains. fingerprint: the companies' largest id
    and latest update time, as the page's count read them."""
    found = _SETS.get(sort)
    if found is None or found.fingerprint != fingerprint or time.monotonic() - found.built > MAX_AGE:
        found = _SETS[sort] = _Set(fingerprint, time.monotonic(), _build(session, sort, ordered_ids))
    k = min(offset // STEP, len(found.rows))
    if k == 0:
        return None, offset
    return keyset.after_row(sort, found.rows[k - 1]), offset - k * STEP


def _build(session, sort: str, ordered_ids: Select) -> list:
    """Every STEP-th row, each found by skipping STEP - 1 index entries after the one before (a recursive
    statement): one pass along the sort index, as one far page by OFFSET reads, where numbering every entry
    with a window function took eight times as long."""
    keys = keyset.key_columns(sort)
    first = ordered_ids.add_columns(*keys).limit(1).offset(STEP - 1).subquery()
    hops = select(literal_column("1").label("n"), *first.c).cte("hops", recursive=True)
    last = (hops.c.id, *(hops.c[column.key] for column in keys))  # the landmark found before
    following = (ordered_ids.where(keyset.after_row(sort, last))
                 .limit(1).offset(STEP - 1).correlate(hops).scalar_subquery())
    found = aliased(Company, name="found")
    hops = hops.union_all(select(hops.c.n + literal_column("1"), found.id, *(getattr(found, c.key) for c in keys))
                          .select_from(hops).join(found, found.id == following))
    return [tuple(row) for row in
            session.execute(select(hops.c.id, *(hops.c[c.key] for c in keys)).order_by(hops.c.n))]


def forget() -> None:
    """Drop this process's sets (tests that rebuild the data under the same fingerprint)."""
    _SETS.clear()
