"""Investment projects, their stage history, funds arrived, problems, supervision and task lists."""
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core import settings
from crm.core.db import TimestampMixin, utcnow
from crm.extensions import db
from crm.projects.stages import Stage

# Declared with the models so every process that knows these tables also knows the defaults.
REVIEW_ENABLED = settings.declare("review.enabled", False)
FUNDS_COUNTED_SOURCES = settings.declare("funds.counted_sources", ["省外境内", "境外", "省内"])
FUNDS_COUNTED_USES = settings.declare("funds.counted_uses", ["fixed_assets", "working_capital"])

FUNDS_SOURCES = ("省外境内", "境外", "省内")
FUNDS_USES = {"fixed_assets": _l("固定资产投资"), "working_capital": _l("流动资金")}
FUNDS_EVIDENCE = {"bank_receipt": _l("银行回单"), "capital_verification": _l("验资报告"), "other": _l("其他")}
PROBLEM_CATEGORIES = ("用地", "用电", "用水", "环评", "审批", "融资", "其他")
BIG_PROJECT = Decimal("50000")  # 5亿 in 万元: projects from here on keep the full ledger (policy 004)


class ReviewStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    returned = "returned"


class Project(TimestampMixin, db.Model):
    __tablename__ = "projects"
    __table_args__ = (
        Index("ix_projects_park_stage", "park_id", "stage"),
        Index("ix_projects_counted_stage_signed", "counted_stage", "signed_date"),
        Index("ix_projects_stage_updated", "stage", "updated_at"),  # the board's latest cards per column
        Index("ix_projects_negotiating_date", "negotiating_date"),  # the dashboard's "negotiated in the period"
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("parks.id"))
    industry_id: Mapped[int | None] = mapped_column(ForeignKey("industries.id"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("chain_links.id", ondelete="SET NULL"), index=True)
    gbt_code: Mapped[str] = mapped_column(String(5), default="")  # GB/T 4754-2017, confirmed by a person
    content: Mapped[str] = mapped_column(Text, default="")
    agreed_investment: Mapped[Decimal | None]  # 协议投资额, 万元
    fixed_asset_investment: Mapped[Decimal | None]  # 万元, for investment intensity
    land_mu: Mapped[Decimal | None]  # 亩
    planned_output: Mapped[Decimal | None]  # 万元/年
    jobs: Mapped[int | None]
    energy_use: Mapped[Decimal | None]  # 吨标准煤/年
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    responsible_unit: Mapped[str] = mapped_column(String(120), default="")
    contact_leader: Mapped[str] = mapped_column(String(80), default="")
    leader_level: Mapped[str] = mapped_column(String(10), default="")  # 省 / 市州 / 县
    reserve_level: Mapped[str] = mapped_column(String(10), default="")  # 省级 / 市州级 / 县级
    source: Mapped[str] = mapped_column(String(20), default="")  # fair / visit / roadshow / referral
    notes: Mapped[str] = mapped_column(Text, default="")

    # stage: what was last reported; counted_stage: what has passed review and counts in the rates
    stage: Mapped[str] = mapped_column(String(20), default=Stage.lead, index=True)
    counted_stage: Mapped[str] = mapped_column(String(20), default=Stage.lead)
    negotiating_date: Mapped[date | None]
    signed_date: Mapped[date | None] = mapped_column(index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    preparing_date: Mapped[date | None]
    registered_date: Mapped[date | None]  # 注册落地
    local_credit_code: Mapped[str] = mapped_column(String(18), default="")
    started_date: Mapped[date | None]
    producing_date: Mapped[date | None]
    dropped_date: Mapped[date | None]
    dropped_reason: Mapped[str] = mapped_column(Text, default="")

    planned_sign_date: Mapped[date | None]
    planned_start_date: Mapped[date | None]
    planned_production_date: Mapped[date | None]
    status_color: Mapped[str] = mapped_column(String(10), default="")  # red / yellow / green, set by a job

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    company = relationship("Company")
    park = relationship("Park")
    industry = relationship("Industry")
    link = relationship("ChainLink")
    event = relationship("Event")
    officer = relationship("User", foreign_keys=[officer_id])
    members: Mapped[list["ProjectMember"]] = relationship(back_populates="project", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_big(self) -> bool:
        return self.agreed_investment is not None and self.agreed_investment >= BIG_PROJECT


class ProjectMember(db.Model):
    """A further company of a consortium; the project's own company_id is the lead company."""

    __tablename__ = "project_members"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), default="")

    project: Mapped[Project] = relationship(back_populates="members")
    company = relationship("Company")


class StageChange(db.Model):
    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    fact_date: Mapped[date | None]
    facts: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    is_undo: Mapped[bool] = mapped_column(default=False)
    review_status: Mapped[str] = mapped_column(String(10), default=ReviewStatus.approved, index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_comment: Mapped[str] = mapped_column(Text, default="")

    actor = relationship("User", foreign_keys=[actor_id])


class FundsEntry(db.Model):
    """Money actually arrived for a project in one month; corrections supersede, never overwrite."""

    __tablename__ = "funds_entries"
    __table_args__ = (Index("ix_funds_entries_project_period", "project_id", "period"),
                      Index("ix_funds_entries_period", "period"),
                      # covers the dashboard's counted funds by month without reading the table
                      Index("ix_funds_entries_counted_period", "period", "review_status", "superseded_by_id",
                            "source", "use", "project_id", "amount"))

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    period: Mapped[date]  # first day of the month
    amount: Mapped[Decimal]  # 万元
    source: Mapped[str] = mapped_column(String(10), default="省外境内")  # 省外境内 / 境外 / 省内
    use: Mapped[str] = mapped_column(String(20), default="fixed_assets")  # fixed_assets / working_capital
    evidence: Mapped[str] = mapped_column(String(20), default="")  # bank_receipt / capital_verification / other
    attachment: Mapped[str] = mapped_column(String(255), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("funds_entries.id"))
    review_status: Mapped[str] = mapped_column(String(10), default=ReviewStatus.approved, index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_comment: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[Project] = relationship()
    entered_by = relationship("User", foreign_keys=[entered_by_id])


class ProblemStatus(StrEnum):
    open = "open"
    in_hand = "in_hand"
    solved = "solved"
    cannot_solve = "cannot_solve"


PROBLEM_STATUS_LABELS = {ProblemStatus.open: _l("待解决"), ProblemStatus.in_hand: _l("办理中"),
                         ProblemStatus.solved: _l("已解决"), ProblemStatus.cannot_solve: _l("无法解决")}
REVIEW_LABELS = {ReviewStatus.pending: _l("待审核"), ReviewStatus.approved: _l("已通过"),
                 ReviewStatus.returned: _l("已退回")}


class Problem(TimestampMixin, db.Model):
    __tablename__ = "problems"
    # the dashboard's open problems due first are chosen from this index alone (crm.metrics.queries)
    __table_args__ = (Index("ix_problems_status_due", "status", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # bumped by every write (ETag)
    __mapper_args__ = {"version_id_col": version}
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(10), default="其他")  # 用地 用电 用水 环评 审批 融资 其他
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raised_on: Mapped[date]
    responsible_unit: Mapped[str] = mapped_column(String(120), default="")
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default=ProblemStatus.open)
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_on: Mapped[date | None]

    project: Mapped[Project] = relationship()


class Supervision(TimestampMixin, db.Model):
    """督办: a leader's instruction on a project, with an owner and a due date, open until closed."""

    __tablename__ = "supervisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # bumped by every write (ETag)
    __mapper_args__ = {"version_id_col": version}
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    instruction: Mapped[str] = mapped_column(Text)  # 领导批示
    leader: Mapped[str] = mapped_column(String(80), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_date: Mapped[date | None]
    closed_at: Mapped[datetime | None]
    closing_note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    project: Mapped[Project] = relationship()
    owner = relationship("User", foreign_keys=[owner_id])


class ProjectTask(TimestampMixin, db.Model):
    """Task and responsibility lists kept for projects of 5亿 and more (policy document 004)."""

    __tablename__ = "project_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="task")  # task / responsibility
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120), default="")
    due_date: Mapped[date | None]
    done: Mapped[bool] = mapped_column(default=False)
