"""The short lists that filter forms offer on every list page (industries, parks, officers, fair editions),
kept in each worker for a minute instead of read on every request.

A write through this worker's ORM to a table a list is read from drops that list at once, so the user who
adds an officer or an industry sees it on the next page; the other worker shows it within TTL seconds.
Lists are kept per application (tests build one per database) and must not be changed by callers.
"""
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

TTL = 60.0  # seconds another worker may show a list without a change made in this one
_lock = threading.Lock()


def _store() -> dict[str, tuple[float, frozenset[str], Any]]:
    return current_app.extensions.setdefault("crm.choices", {})


def cached(name: str, tables: set[str], read: Callable[[], Any]) -> Any:
    """The list `name`, read with read() when missing or older than TTL; `tables` are those it is read from."""
    store, now = _store(), time.monotonic()
    found = store.get(name)
    if found is not None and now - found[0] < TTL:
        return found[2]
    value = read()
    with _lock:
        store[name] = (now, frozenset(tables), value)
    return value


def forget(tables: set[str] | None = None) -> None:
    """Drop the lists read from any of `tables` (all lists when None)."""
    store = _store()
    with _lock:
        for name in [n for n, (_at, read_from, _v) in store.items() if tables is None or read_from & tables]:
            store.pop(name, None)


@event.listens_for(Session, "after_flush")
def _forget_written(session, _context) -> None:
    written = {type(obj).__table__.name for obj in (*session.new, *session.dirty, *session.deleted)
               if hasattr(type(obj), "__table__")}
    if written:
        forget(written)
