"""One reading of integers from URLs, query strings and JSON bodies.

Only ASCII digits count (Python's int() and str.isdigit() also take '١' or '²', and then disagree), and a
value must fit the column it meets: ids and counts are INTEGER columns, 32 bits on PostgreSQL, and SQLite's
driver cannot even pass an integer past 2^63. Outside that, a URL answers 404 and a filter or body field 422,
never a database error.
"""
import re
from datetime import date

from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from crm.core.errors import ServiceError

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# The dates the product's records can hold: none of its companies, projects or contacts predates 1949, and
# plans reach decades ahead, not centuries (a year 0001 or 9999 is a typing slip, and breaks date arithmetic).
EARLIEST, LATEST = date(1949, 1, 1), date(2100, 12, 31)
_ASCII_INTEGER = re.compile(r"-?[0-9]{1,19}")


def parse_int(value, *, low: int = INT_MIN, high: int = INT_MAX) -> int:
    """The integer of a JSON number or a text of ASCII digits, within [low, high]; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not an integer")
    if isinstance(value, str) and _ASCII_INTEGER.fullmatch(value.strip()):
        value = int(value.strip())
    if not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"not an integer within {low}..{high}")
    return value


def parse_date(value, *, low: date = EARLIEST, high: date = LATEST) -> date:
    """A date or a yyyy-mm-dd text within [low, high]; ValueError otherwise."""
    if not isinstance(value, date):
        if not isinstance(value, str):
            raise ValueError("a date is written yyyy-mm-dd")
        value = date.fromisoformat(value.strip())
    if not low <= value <= high:
        raise ValueError(f"a date within {low}..{high}")
    return value


def _refuse(key: str, low: int, high: int) -> ServiceError:
    message = _("%(key)s 应为 %(low)s 至 %(high)s 之间的整数。", key=key, low=low, high=high)
    return ServiceError(message, {key: _("应为整数")}, status=422)


def query_int(args, key: str, *, low: int = INT_MIN, high: int = INT_MAX) -> int | None:
    """A query-string (or form) integer: None when absent or empty, 422 when not an integer in range."""
    value = args.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_int(value, low=low, high=high)
    except ValueError:
        raise _refuse(key, low, high) from None


def body_int(data: dict, key: str, *, low: int = INT_MIN, high: int = INT_MAX) -> int | None:
    """A JSON body's integer: None when absent, null or empty, 422 when anything but an integer in range."""
    return query_int(data, key, low=low, high=high)


def body_int_list(data: dict, key: str, *, low: int = 1, high: int = INT_MAX) -> list[int]:
    values = data.get(key) or []
    if not isinstance(values, list):
        raise _refuse(key, low, high)
    try:
        return [parse_int(v, low=low, high=high) for v in values]
    except ValueError:
        raise _refuse(key, low, high) from None


def version_of(value) -> int | None:
    """The version a save was made on (optimistic locking): None when not sent, 422 when not a count."""
    return query_int({"version": value}, "version", low=0)


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: ASCII digits only, up to the largest id a column holds; past it, 404."""

    regex = r"[0-9]{1,19}"

    def __init__(self, url_map, fixed_digits=0, min=1, max=INT_MAX, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def install(app) -> None:
    """Before any blueprint: rules take their converters when they are added."""
    app.url_map.converters["int"] = IdConverter
