"""Fairs and events (青洽会 editions, 央企青海行 ...) whose signings form a cohort of projects."""
from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.db import TimestampMixin
from crm.extensions import db


class EventType(db.Model):
    __tablename__ = "event_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    recurring: Mapped[str] = mapped_column(String(20), default="yearly")
    description: Mapped[str] = mapped_column(Text, default="")


class Event(TimestampMixin, db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # bumped by every write (ETag)
    __mapper_args__ = {"version_id_col": version}
    type_id: Mapped[int] = mapped_column(ForeignKey("event_types.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    edition: Mapped[str] = mapped_column(String(40), default="")  # e.g. 第二十五届
    year: Mapped[int] = mapped_column(index=True)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    place: Mapped[str] = mapped_column(String(120), default="")
    organiser: Mapped[str] = mapped_column(String(200), default="")

    type: Mapped[EventType] = relationship()
