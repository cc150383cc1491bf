"""Precomputed matching terms per company, so a chain link can be matched against 100,000 companies fast."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.core.db import utcnow
from crm.extensions import db


class CompanyTerms(db.Model):
    """`terms` holds the company's terms space-separated with a space at both ends, so that
    `terms LIKE '% 锂电池 %'` finds whole terms only; rows older than the company are recomputed."""

    __tablename__ = "company_terms"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    terms: Mapped[str] = mapped_column(Text, default=" ")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # max() per request: indexed


class CompanyTerm(db.Model):
    """One row per (term, company): an inverted index in the database, so matching a link reads only
    the companies that share one of its terms (an indexed lookup) instead of holding every company's
    terms in each worker's memory."""

    __tablename__ = "company_term_index"

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class MatchingVersion(db.Model):
    """A token per kind of data that worker processes keep for matching ("parks", "companies", "projects"),
    replaced by every commit that changed such data (crm.matching.versions)."""

    __tablename__ = "matching_versions"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))

