"""Regions, parks (key parks and their bases), chains as ordered links, and industries."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.db import TimestampMixin, utcnow
from crm.extensions import db


class ParkLevel(StrEnum):
    key_park = "key_park"
    base = "base"


class Region(db.Model):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(20))  # province | prefecture
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))

    parent: Mapped["Region | None"] = relationship(remote_side=[id])


class Industry(db.Model):
    __tablename__ = "industries"
    __table_args__ = (UniqueConstraint("province", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    province: Mapped[str] = mapped_column(String(10), default="")
    group: Mapped[str] = mapped_column(String(80), default="")
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)


class Park(TimestampMixin, db.Model):
    __tablename__ = "parks"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # bumped by every write (ETag)
    __mapper_args__ = {"version_id_col": version}
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(20), default=ParkLevel.base)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("parks.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    positioning: Mapped[str] = mapped_column(Text, default="")
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    eco_restricted: Mapped[bool] = mapped_column(default=False)
    intensity_target: Mapped[int | None]  # 万元/亩, where policy ties a target to the park
    anchors: Mapped[list[str]] = mapped_column(JSON, default=list)  # anchor enterprises present, as written
    places: Mapped[list[str]] = mapped_column(JSON, default=list)  # names that, in a description, mean this park

    parent: Mapped["Park | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Park"]] = relationship(back_populates="parent", order_by="Park.id")
    region: Mapped[Region | None] = relationship()
    chains: Mapped[list["Chain"]] = relationship(
        back_populates="park", order_by="Chain.position", cascade="all, delete-orphan"
    )

    @property
    def is_key_park(self) -> bool:
        return self.level == ParkLevel.key_park


class Chain(db.Model):
    __tablename__ = "chains"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # bumped by every write (ETag)
    __mapper_args__ = {"version_id_col": version}
    park_id: Mapped[int] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(String(300), default="")  # document and clause the chain comes from

    park: Mapped[Park] = relationship(back_populates="chains")
    links: Mapped[list["ChainLink"]] = relationship(
        back_populates="chain", order_by="ChainLink.position", cascade="all, delete-orphan"
    )


class ChainLink(db.Model):
    __tablename__ = "chain_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # bumped by every write (ETag)
    __mapper_args__ = {"version_id_col": version}
    chain_id: Mapped[int] = mapped_column(ForeignKey("chains.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    gbt_code: Mapped[str] = mapped_column(String(5), default="")  # GB/T 4754-2017, confirmed by a person


    chain: Mapped[Chain] = relationship(back_populates="links")


class ParkPicture(db.Model):
    """The park as it was described from `valid_from` on (None: from the beginning): positioning, leading
    industries, anchor enterprises, chains and links, with who wrote it, when, from which source and why.
    Every edit of a park adds one; matching as of a date reads the picture then in force."""

    __tablename__ = "park_pictures"

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"), index=True)
    valid_from: Mapped[date | None]
    positioning: Mapped[str] = mapped_column(Text, default="")
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    anchors: Mapped[list[str]] = mapped_column(JSON, default=list)
    # [{name, source, links: [{name, keywords, gbt_code}]}]
    chains: Mapped[list[dict]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(300), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(String(300), default="")  # what changed, in words
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
