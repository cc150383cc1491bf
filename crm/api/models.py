"""Tables of the API's own machinery: Idempotency-Key answers, rate windows, webhooks and their deliveries."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.core.db import utcnow
from crm.extensions import db


class IdempotentRequest(db.Model):
    """A POST made with an Idempotency-Key: claimed when it starts, its answer kept once it succeeded."""

    __tablename__ = "api_idempotent_requests"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_api_idempotent_requests_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    fingerprint: Mapped[str] = mapped_column(String(64))  # of the request body: a key reused for another request
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    status: Mapped[int | None]  # None while the first request is still running
    body: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(500), default="")


class RateWindow(db.Model):
    """Requests of one token in one minute, counted in the database so every worker process shares the count."""

    __tablename__ = "api_rate_windows"

    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True)
    minute: Mapped[datetime] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class Webhook(db.Model):
    """An address another system gave to be told of changes of the kinds it chose, signed with its secret."""

    __tablename__ = "api_webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    name: Mapped[str] = mapped_column(String(80), default="")
    url: Mapped[str] = mapped_column(String(500))
    kinds: Mapped[str] = mapped_column(String(200))  # comma-separated event kinds (crm.api.webhooks.KINDS)
    # HMAC-SHA256 key of the signatures: kept as given (a signature needs the key itself), shown once
    secret: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(db.Model):
    """One change to tell one webhook: written in the transaction of the change, sent by the job runner."""

    __tablename__ = "api_webhook_deliveries"
    __table_args__ = (UniqueConstraint("webhook_id", "audit_id", "kind", name="uq_api_webhook_deliveries_change"),
                      Index("ix_api_webhook_deliveries_due", "status", "next_attempt_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("api_webhooks.id", ondelete="CASCADE"), index=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_log.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)  # the JSON body, fixed when the change happened
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending / delivered / failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_status: Mapped[int | None]  # the receiver's HTTP status of the last attempt
    last_error: Mapped[str] = mapped_column(String(500), default="")
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
