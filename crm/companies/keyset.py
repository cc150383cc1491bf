"""Keyset paging for the company list: the next-page link says where the page ended (its last company's sort
key and id), and the next page is read from that point of the sort index on, instead of skipping OFFSET
entries, so an officer paging deep into 100,000 companies waits no longer on page 2,000 than on page 2.

Only sorts whose key is never empty page this way ("updated", "name", "created"): an empty last-contact date
or revenue has no place in the row comparison, so those sorts page by OFFSET. A cursor that cannot be read
(edited by hand, from an older link) is ignored and the page number counts instead.
"""
from datetime import UTC, datetime

from sqlalchemy import literal, tuple_
from sqlalchemy.sql.elements import ColumnElement

from crm.companies.models import Company
from crm.core.params import parse_int

# sort -> (the key column besides the id, or None when the id alone orders; descending)
KEYS = {"updated": (Company.updated_at, True), "name": (Company.pinyin_full, False), "created": (None, True)}
SEPARATOR = "|"


def key_columns(sort: str) -> list:
    """What the page's id statement reads besides the id, so that its last row gives the next cursor."""
    column = KEYS.get(sort, (None, False))[0]
    return [] if column is None else [column]


def cursor(sort: str, row) -> str | None:
    """The next page's cursor from the last row (id, *key_columns(sort)) of a page; None for OFFSET sorts."""
    if sort not in KEYS:
        return None
    company_id, *key = row
    if not key:
        return str(company_id)
    # UTC with "Z", not "+00:00": a "+" in a query string a client forgets to encode would read as a space
    value = key[0].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if isinstance(key[0], datetime) else key[0]
    return f"{value}{SEPARATOR}{company_id}"


def after(sort: str, text: str | None) -> ColumnElement | None:
    """The condition "after the cursor in this sort order", or None (no cursor, an OFFSET sort, unreadable)."""
    if not text or sort not in KEYS:
        return None
    column = KEYS[sort][0]
    value, _sep, id_text = text.rpartition(SEPARATOR) if column is not None else ("", "", text)
    try:
        company_id = parse_int(id_text, low=1)
    except ValueError:
        return None
    if len(text) > 500:
        return None
    if column is Company.updated_at:
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
        if value.tzinfo is None:
            return None
    return after_row(sort, (company_id, value) if column is not None else (company_id,))


def after_row(sort: str, row) -> ColumnElement:
    """The condition "after this row (id, *key_columns(sort)) in this keyset sort"; the row holds values, or
    columns of another statement (crm.companies.landmarks)."""
    column, descending = KEYS[sort]
    company_id, *key = row
    if column is None:
        return Company.id < company_id if descending else Company.id > company_id
    pair, point = tuple_(column, Company.id), tuple_(_value(key[0], column), _value(company_id, Company.id))
    return pair < point if descending else pair > point


def _value(value, column) -> ColumnElement:
    return value if isinstance(value, ColumnElement) else literal(value, column.type)
