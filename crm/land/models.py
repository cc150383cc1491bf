"""Carriers (parcels, standard factories, buildings) with their dated status history, supplies to projects,
what a project needs, and each landed project's yearly figures."""
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.db import TimestampMixin, utcnow
from crm.extensions import db


class CarrierKind(StrEnum):
    land = "land"  # 地块
    factory = "factory"  # 标准厂房
    building = "building"  # 楼宇


class CarrierStatus(StrEnum):
    available = "available"  # 可供
    intended = "intended"  # 意向
    supplied = "supplied"  # 已供地
    leased = "leased"  # 已出租
    started = "started"  # 已开工
    idle = "idle"  # 闲置
    reclaimed = "reclaimed"  # 收回


KIND_LABELS = {CarrierKind.land: _l("地块"), CarrierKind.factory: _l("标准厂房"), CarrierKind.building: _l("楼宇")}
STATUS_LABELS = {CarrierStatus.available: _l("可供"), CarrierStatus.intended: _l("意向"),
                 CarrierStatus.supplied: _l("已供地"), CarrierStatus.leased: _l("已出租"),
                 CarrierStatus.started: _l("已开工"), CarrierStatus.idle: _l("闲置"),
                 CarrierStatus.reclaimed: _l("收回")}
LAND_USES = ("工业", "仓储", "商服")


class Carrier(TimestampMixin, db.Model):
    __tablename__ = "carriers"
    __table_args__ = (Index("ix_carriers_park_status", "park_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("parks.id"))
    kind: Mapped[str] = mapped_column(String(10), default=CarrierKind.land)
    name: Mapped[str] = mapped_column(String(120))  # name or number: 12号地块, 3号标准厂房
    status: Mapped[str] = mapped_column(String(12), default=CarrierStatus.available)
    status_date: Mapped[date | None]
    land_use: Mapped[str] = mapped_column(String(10), default="")  # 工业 / 仓储 / 商服
    area_mu: Mapped[Decimal | None]  # parcels: 亩
    plot_ratio_min: Mapped[Decimal | None]  # 容积率 limits
    plot_ratio_max: Mapped[Decimal | None]
    serviced: Mapped[bool] = mapped_column(default=False)  # 七通一平
    price: Mapped[Decimal | None]  # parcels: 万元/亩; factories and buildings: sale price 元/m²
    floor_area_m2: Mapped[Decimal | None]  # factories and buildings
    floors: Mapped[int | None]
    floor_load: Mapped[Decimal | None]  # kN/m²
    height_m: Mapped[Decimal | None]
    rent: Mapped[Decimal | None]  # 元/m²·月
    power_kva: Mapped[Decimal | None]  # what the site can take
    water_tpd: Mapped[Decimal | None]  # 吨/日
    rail: Mapped[bool] = mapped_column(default=False)  # 铁路专用线
    location: Mapped[str] = mapped_column(String(200), default="")
    latitude: Mapped[Decimal | None]
    longitude: Mapped[Decimal | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    park = relationship("Park")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_land(self) -> bool:
        return self.kind == CarrierKind.land


class CarrierChange(db.Model):
    """One dated status move of a carrier: who, when, and the fact's date."""

    __tablename__ = "carrier_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    fact_date: Mapped[date]
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the daily idle-land check
    at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship("User")


class CarrierSupply(db.Model):
    """供地 / 入驻: a carrier (or part of it) given to a project under a contract with an agreed start."""

    __tablename__ = "carrier_supplies"
    __table_args__ = (Index("ix_carrier_supplies_started_agreed", "started_on", "agreed_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    supplied_on: Mapped[date]
    area_mu: Mapped[Decimal | None]
    floor_area_m2: Mapped[Decimal | None]
    contract_no: Mapped[str] = mapped_column(String(60), default="")
    agreed_start: Mapped[date | None]  # 约定动工开发日期
    started_on: Mapped[date | None]  # 开工 on this carrier
    ended_on: Mapped[date | None]  # 收回 or moved out: the supply no longer counts
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    carrier: Mapped[Carrier] = relationship()
    project = relationship("Project")


class ProjectNeed(TimestampMixin, db.Model):
    """What a project (or a lead) needs of a site."""

    __tablename__ = "project_needs"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default=CarrierKind.land)
    land_mu: Mapped[Decimal | None]
    floor_area_m2: Mapped[Decimal | None]
    land_use: Mapped[str] = mapped_column(String(10), default="")
    power_kva: Mapped[Decimal | None]
    water_tpd: Mapped[Decimal | None]
    rail: Mapped[bool] = mapped_column(default=False)
    needed_by: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")


class YearlyFigure(TimestampMixin, db.Model):
    """A landed project's figures for one year, the ground of the 亩均 evaluation."""

    __tablename__ = "project_yearly_figures"
    __table_args__ = (UniqueConstraint("project_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    output_value: Mapped[Decimal | None]  # 万元
    tax: Mapped[Decimal | None]  # 万元
    energy_use: Mapped[Decimal | None]  # 吨标准煤
    employees: Mapped[int | None]
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    project = relationship("Project")
