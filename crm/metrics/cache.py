"""Figures and rendered parts of pages kept in each worker process while the data version is unchanged.

Every entry belongs to the data token read before it was computed (crm.metrics.freshness): a new token
empties the cache, so nothing computed before a committed write is served after it. Keys name what
else a value depends on: the cohort's filters, the viewer's park scope (never the user: two managers
share an entry, a manager and park staff never do), the day and, for HTML, the language.
"""
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from crm.core.scope import visible_park_ids
from crm.extensions import db
from crm.metrics import freshness
from crm.metrics.cohort import Cohort


def cohort_key(cohort: Cohort) -> tuple:
    """The cohort without its user, plus the park scope the user's queries are narrowed to."""
    scope = None if cohort.user is None else visible_park_ids(cohort.user)
    return replace(cohort, user=None), None if scope is None else frozenset(scope)


class VersionedCache:
    """A bounded least-recently-used map whose entries all belong to one data token."""

    def __init__(self, size: int, row: int = freshness.ALL):
        self.size, self.row = size, row
        self._lock = threading.Lock()  # gthread workers may serve two requests of one process at once
        self._token: str | None = None
        self._entries: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key, make: Callable[[], Any]):
        """The entry for `key` under the current token, made (and kept) when missing. Callers must not
        change what they get: it is shared with later requests."""
        token = freshness.current_token(db.session, self.row)  # before any data is read
        if token is None:
            return make()
        with self._lock:
            if token == self._token and key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = make()
        with self._lock:
            if token != self._token:
                self._entries.clear()
                self._token = token
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._token = None


data = VersionedCache(size=256)  # compute() results and filter choices: a few KB each
pages = VersionedCache(size=32)  # rendered dashboard bodies: about 100 KB each
funds = VersionedCache(size=32, row=freshness.FUNDS)  # funds by month of all projects: outlive project writes


def clear() -> None:
    """Forget every kept copy in this process (tests that count what a page computes)."""
    data.clear()
    pages.clear()
    funds.clear()
