"""Deployment settings an admin changes at run time (review on/off, warning thresholds, schedules).

Each setting has a default declared by the domain that reads it; the table only holds overrides.
"""
from typing import Any

from sqlalchemy import JSON, String, event, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from crm.core.db import json_object_of
from crm.extensions import db

DEFAULTS: dict[str, Any] = {}
_CACHE = "settings.overrides"  # key in the session's info dict


class Setting(db.Model):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


def declare(key: str, default: Any) -> str:
    DEFAULTS[key] = default
    return key


def _overrides() -> dict[str, Any]:
    """Every override, read in one statement the first time a transaction asks (pages ask several times);
    forgotten when the transaction ends, so a change saved elsewhere shows from the next request on."""
    session = db.session()
    cached = session.info.get(_CACHE)
    if cached is None:
        cached = session.info[_CACHE] = dict(session.execute(select(Setting.key, Setting.value)).tuples().all())
    return cached


def overrides_column(dialect: str):
    """Every override as one JSON object, for the request's first statement (crm.core.prefetch)."""
    value = Setting.value if dialect == "postgresql" else func.json(Setting.value)
    return select(json_object_of(dialect, Setting.key, value)).scalar_subquery()


def remember_overrides(found: dict | None) -> None:
    """The overrides read by overrides_column, kept for this transaction as _overrides keeps its own read."""
    db.session().info[_CACHE] = found or {}


def get(key: str) -> Any:
    overrides = _overrides()
    return overrides[key] if key in overrides else DEFAULTS.get(key)


def put(key: str, value: Any) -> None:
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    db.session.info.pop(_CACHE, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_overrides(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CACHE, None)
