"""Deployment settings an admin changes at run time (review on/off, warning thresholds, schedules).

Each setting has a default declared by the domain that reads it; the table only holds overrides.
"""
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.extensions import db

DEFAULTS: dict[str, Any] = {}


class Setting(db.Model):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


def declare(key: str, default: Any) -> str:
    DEFAULTS[key] = default
    return key


def get(key: str) -> Any:
    row = db.session.get(Setting, key)
    return row.value if row is not None else DEFAULTS.get(key)


def put(key: str, value: Any) -> None:
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
