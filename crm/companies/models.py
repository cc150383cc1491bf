"""Target companies, their tiers, contacts, contact logs, recruitment trips and merges."""
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.db import TimestampMixin, utcnow
from crm.extensions import db


class Ownership(StrEnum):
    central_soe = "央企"
    local_soe = "地方国企"
    private = "民企"
    foreign = "外资"
    hk_macao_taiwan = "港澳台"
    other = "其他"


# Rankings offered in forms and filters; other tier names stay allowed (imports bring their own).
TIERS = ("世界500强", "中国500强", "中国制造业500强", "中国民营企业500强", "央企", "上市公司", "专精特新")


class LogKind(StrEnum):
    visit = "拜访"
    inbound_visit = "来访"
    call = "电话"
    meeting = "会议"
    fair_talk = "展会洽谈"
    other = "其他"


_LIVE = text("merged_into_id IS NULL")


class Company(TimestampMixin, db.Model):
    __tablename__ = "companies"
    __table_args__ = (
        Index("ix_companies_name_norm", "name_norm"),
        Index("ix_companies_pinyin_initials", "pinyin_initials"),
        Index("ix_companies_pinyin_full", "pinyin_full"),
        Index("ix_companies_updated_at", "updated_at"),  # matching finds companies edited since their terms
        # The list's sort keys over live companies only; with the id (and merged_into_id, which SQLite needs to
        # see the index as covering) they serve the ids-only page query from the index alone, however far the page.
        *(Index(f"ix_companies_live_{key}", column, "id", "merged_into_id", sqlite_where=_LIVE,
                postgresql_where=_LIVE)
          for key, column in (("updated", "updated_at"), ("name", "pinyin_full"), ("contact", "last_contact_on"),
                              ("revenue", "revenue"))),
        # The list's filters over live companies: a filtered list counts its matches from these alone instead of
        # reading every company row (merged_into_id again so that SQLite sees them as covering).
        *(Index(f"ix_companies_live_{column}", column, "merged_into_id", sqlite_where=_LIVE, postgresql_where=_LIVE)
          for column in ("ownership", "hq_province")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_norm: Mapped[str] = mapped_column(String(200), default="")
    former_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    # "|norm1|norm2|" of the former names, so duplicate checks and search can use one LIKE
    former_norms: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)  # short names and abbreviations: 中国石化, 中石化
    # "|…|" of the name's pinyin and the aliases with theirs (names.search_words): searched like the name
    search_words: Mapped[str] = mapped_column(Text, default="")
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    ownership: Mapped[str] = mapped_column(String(10), default=Ownership.other)
    listed_exchange: Mapped[str] = mapped_column(String(40), default="")
    listed_code: Mapped[str] = mapped_column(String(20), default="")
    hq_province: Mapped[str] = mapped_column(String(40), default="")  # indexed for live companies only
    hq_city: Mapped[str] = mapped_column(String(40), default="")
    industry_id: Mapped[int | None] = mapped_column(ForeignKey("industries.id"), index=True)
    industry_text: Mapped[str] = mapped_column(String(80), default="")  # the industry as the company writes it
    gbt_code: Mapped[str] = mapped_column(String(5), default="")  # GB/T 4754-2017, confirmed by a person
    main_business: Mapped[str] = mapped_column(Text, default="")
    registered_capital: Mapped[Decimal | None]  # 万元
    revenue: Mapped[Decimal | None]  # 万元, latest year
    website: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(80), default="")
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    pinyin_full: Mapped[str] = mapped_column(String(400), default="")
    pinyin_initials: Mapped[str] = mapped_column(String(200), default="")
    last_contact_on: Mapped[date | None] = mapped_column(index=True)  # kept by the contact-log services
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    tiers: Mapped[list["CompanyTier"]] = relationship(back_populates="company", cascade="all, delete-orphan",
                                                      order_by="CompanyTier.year.desc()")
    contacts: Mapped[list["Contact"]] = relationship(back_populates="company", cascade="all, delete-orphan",
                                                     order_by="(Contact.is_primary.desc(), Contact.id)")
    industry = relationship("Industry")
    officer = relationship("User", foreign_keys=[officer_id])

    __mapper_args__ = {"version_id_col": version}


class CompanyTier(db.Model):
    """A ranking a company holds in a given year (世界500强 2025, 央企 2025, 民企500强 2024 ...)."""

    __tablename__ = "company_tiers"
    # (tier, company_id): the list's tier filter reads the companies of a tier from the index alone
    __table_args__ = (UniqueConstraint("company_id", "tier", "year"),
                      Index("ix_company_tiers_tier", "tier", "company_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    tier: Mapped[str] = mapped_column(String(40))
    year: Mapped[int | None]
    rank: Mapped[int | None]

    company: Mapped[Company] = relationship(back_populates="tiers")


class Contact(TimestampMixin, db.Model):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # bumped by every write (ETag)
    __mapper_args__ = {"version_id_col": version}
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(80), default="")
    mobile: Mapped[str] = mapped_column(String(20), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    wechat: Mapped[str] = mapped_column(String(80), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_primary: Mapped[bool] = mapped_column(default=False)

    company: Mapped[Company] = relationship(back_populates="contacts")


contact_log_contacts = Table(
    "contact_log_contacts",
    db.metadata,
    Column("log_id", ForeignKey("contact_logs.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
)


class Trip(TimestampMixin, db.Model):
    """外出招商: a delegation visiting several companies; each visit is a contact log."""

    __tablename__ = "trips"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # bumped by every write (ETag)
    __mapper_args__ = {"version_id_col": version}
    title: Mapped[str] = mapped_column(String(200))
    leader_name: Mapped[str] = mapped_column(String(80), default="")
    leader_level: Mapped[str] = mapped_column(String(20), default="")  # 省 / 市州 / 县
    members: Mapped[str] = mapped_column(Text, default="")
    destination: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    results: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ContactLog(db.Model):
    __tablename__ = "contact_logs"
    __table_args__ = (
        Index("ix_contact_logs_company_date", "company_id", "date"),
        Index("ix_contact_logs_follow_up", "next_follow_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    date: Mapped[date]
    kind: Mapped[str] = mapped_column(String(10), default=LogKind.visit)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    next_follow_up: Mapped[date | None]
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    trip_id: Mapped[int | None] = mapped_column(ForeignKey("trips.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    company: Mapped[Company] = relationship()
    officer = relationship("User")
    contacts: Mapped[list[Contact]] = relationship(secondary=contact_log_contacts)
    trip: Mapped[Trip | None] = relationship()


class CompanySearchGram(db.Model):
    """One row per (gram, company) of the texts the company search matches with LIKE '%q%': two consecutive
    characters, or three consecutive letters or digits (crm/companies/search_index.py). A search reads the few
    companies holding its rarest gram from the primary key instead of testing every company's name. Kept on
    flush, and dropped with a company deleted through the session; bulk loads rebuild it.

    No foreign key to companies: like an index, the table is the search's own copy of what the companies say,
    and a company holds some 33 grams, each of which PostgreSQL would check (and lock the company's row for)
    on insert: 3 of the 30 seconds an import of 10,000 companies may take."""

    __tablename__ = "company_search_grams"
    __table_args__ = ({"sqlite_with_rowid": False},)  # the primary key is the table: half the size

    gram: Mapped[str] = mapped_column(String(3), primary_key=True)
    company_id: Mapped[int] = mapped_column(primary_key=True, index=True)


class CompanyMerge(db.Model):
    """A merge of a duplicate into the kept record, shown on the kept company's page."""

    __tablename__ = "company_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    kept_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    merged_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"))
    merged_name: Mapped[str] = mapped_column(String(200))
    merged_credit_code: Mapped[str] = mapped_column(String(18), default="")
    moved: Mapped[dict] = mapped_column(JSON, default=dict)  # counts of contacts, logs, projects, tiers
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
