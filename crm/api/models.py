"""Tables of the API's own machinery: the answers kept for Idempotency-Key retries."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
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
