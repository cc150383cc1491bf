"""User accounts bound to parks, sign-in failures and personal access tokens."""
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.db import TimestampMixin, utcnow
from crm.core.permissions import Role
from crm.extensions import db
from crm.parks.models import Park

user_parks = Table(
    "user_parks",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("park_id", ForeignKey("parks.id", ondelete="CASCADE"), primary_key=True),
)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20), default=Role.officer)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(String(10), default="zh_CN")
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    last_login_ip: Mapped[str] = mapped_column(String(64), default="")
    previous_login_at: Mapped[datetime | None]
    previous_login_ip: Mapped[str] = mapped_column(String(64), default="")
    password_changed_at: Mapped[datetime | None]
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # Part of the id kept in the session cookie: changing it ends every session of the user.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)

    parks: Mapped[list[Park]] = relationship(secondary=user_parks, order_by=Park.code)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def park_scope(self) -> set[int] | None:
        """Park staff see their parks and those parks' bases; every other role sees all parks."""
        if self.role != Role.park_staff:
            return None
        ids: set[int] = set()
        for park in self.parks:
            ids.add(park.id)
            ids.update(child.id for child in park.children)
        return ids


class LoginFailure(db.Model):
    """Failed sign-ins by IP, counted in the database so every worker process sees the same count."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_ip_at", "ip", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ip: Mapped[str] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(80), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # "read" allows GET only; "write" everything the user may do. resources: the /api/v1 resources the token
    # may reach (comma-separated first path segments, "" for all). A token past expires_at is refused.
    access: Mapped[str] = mapped_column(String(10), default="write", server_default="write")
    resources: Mapped[str] = mapped_column(String(500), default="", server_default="")
    expires_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
