"""Policy documents, their clauses in order (tags, structured terms, duties), and the clauses' search index."""
from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.db import TimestampMixin
from crm.extensions import db


class PolicyLevel(StrEnum):
    national = "national"
    province = "province"
    prefecture = "prefecture"
    park = "park"


class PolicyStatus(StrEnum):
    current = "current"
    repealed = "repealed"
    revised = "revised"


LEVEL_LABELS = {PolicyLevel.national: _l("国家"), PolicyLevel.province: _l("省"),
                PolicyLevel.prefecture: _l("州市"), PolicyLevel.park: _l("园区")}
STATUS_LABELS = {PolicyStatus.current: _l("现行"), PolicyStatus.repealed: _l("已废止"),
                 PolicyStatus.revised: _l("已修订")}
# What a clause offers or requires; the tag words themselves stay Chinese (they are data, as in the texts).
TAGS = ("用地", "税收", "资金奖补", "电价", "人才", "准入", "考核", "服务")


class PolicyDocument(TimestampMixin, db.Model):
    __tablename__ = "policy_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)  # short citation name: "002"
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[str] = mapped_column(String(80), default="")  # 文号
    level: Mapped[str] = mapped_column(String(12), default=PolicyLevel.province, index=True)
    year: Mapped[int | None]  # the year the document is from (stated or inferred: see notes)
    issued_on: Mapped[date | None]
    effective_on: Mapped[date | None]
    expires_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(12), default=PolicyStatus.current, index=True)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("policy_documents.id", ondelete="SET NULL"))
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)  # region codes: QH, NM, QH-XN …
    parks: Mapped[list[str]] = mapped_column(JSON, default=list)  # park codes; empty: every park of the regions
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(255), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    clauses: Mapped[list["PolicyClause"]] = relationship(
        back_populates="document", order_by="PolicyClause.position", cascade="all, delete-orphan")
    replaced_by: Mapped["PolicyDocument | None"] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}

    def expired(self, today: date) -> bool:
        """No longer in force: repealed or replaced, or past its expiry date."""
        return self.status != PolicyStatus.current or (self.expires_on is not None and self.expires_on < today)


class PolicyClause(db.Model):
    __tablename__ = "policy_clauses"
    __table_args__ = (UniqueConstraint("document_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("policy_documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    depth: Mapped[int] = mapped_column(default=0)
    number: Mapped[str] = mapped_column(String(20), default="")  # "（十八）"
    path: Mapped[str] = mapped_column(String(60), default="")  # "七、（十八）"
    heading: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Structured terms the rules use: [{"metric": "investment_intensity", "op": ">", "value": "500",
    # "unit": "万元/亩", "effect": "…"}]; duties the scheduler reminds of: [{"every": "year", "on": "12-01", …}]
    terms: Mapped[list[dict]] = mapped_column(JSON, default=list)
    duties: Mapped[list[dict]] = mapped_column(JSON, default=list)

    document: Mapped[PolicyDocument] = relationship(back_populates="clauses")

    @property
    def citation(self) -> str:
        """How the product cites the clause: "002 七、（十八）集约利用土地"."""
        where = self.path or str(_l("序言"))
        return f"{self.document.key} {where}{self.heading}".strip()


class PolicyAnchor(db.Model):
    """A stable name a rule in seeds/ cites a clause by ("land_priority_002"); a clause may have several."""

    __tablename__ = "policy_anchors"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("policy_clauses.id", ondelete="CASCADE"), index=True)

    clause: Mapped[PolicyClause] = relationship()


class PolicyClauseTerm(db.Model):
    """The search index: one row per (term, clause), with how often the term occurs in the clause."""

    __tablename__ = "policy_clause_terms"
    __table_args__ = (Index("ix_policy_clause_terms_clause", "clause_id"),)

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("policy_clauses.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int] = mapped_column(index=True)
    weight: Mapped[int] = mapped_column(default=1)


class PolicyDutyReminder(db.Model):
    """A duty's occurrence already turned into reminders: the scheduler makes each one once."""

    __tablename__ = "policy_duty_reminders"

    clause_id: Mapped[int] = mapped_column(ForeignKey("policy_clauses.id", ondelete="CASCADE"), primary_key=True)
    due_on: Mapped[date] = mapped_column(primary_key=True)
    duty: Mapped[int] = mapped_column(primary_key=True, default=0)  # index of the duty in the clause's list
    notified: Mapped[int] = mapped_column(default=0)

