"""Precomputed matching terms per company, so a chain link can be matched against 100,000 companies fast."""
from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.core.db import utcnow
from crm.extensions import db


class CompanyTerms(db.Model):
    """`terms` holds the company's terms space-separated with a space at both ends, so that
    `terms LIKE '% 锂电池 %'` finds whole terms only; rows older than the company are recomputed."""

    __tablename__ = "company_terms"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    terms: Mapped[str] = mapped_column(Text, default=" ")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
