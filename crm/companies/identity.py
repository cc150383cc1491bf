"""Who already holds a credit code or a normalised name, looked up for a whole batch of companies at once.

find_duplicates answers for one name in one statement; an import of 10,000 rows asked it 20,000 times
(two thirds of a five-minute import). Holders answers for a batch in three statements: the codes, the
current names, and the former names of the (few) companies that have any.
"""
from collections.abc import Iterable

from sqlalchemy import select

from crm.companies.models import Company
from crm.companies.names import normalise_name
from crm.extensions import db


def name_norms(*names: str) -> set[str]:
    return {norm for norm in (normalise_name(n) for n in names if n) if norm}


class Holders:
    """The companies holding any of the given credit codes, and the live companies whose normalised current
    or former name is one of the given norms."""

    def __init__(self, codes: Iterable[str], norms: Iterable[str]):
        codes, norms = {c for c in codes if c}, set(norms)
        self._by_code = ({c.credit_code: c for c in db.session.scalars(
            select(Company).where(Company.credit_code.in_(sorted(codes))))} if codes else {})
        self._by_norm: dict[str, int] = {}
        if not norms:
            return
        named = db.session.execute(select(Company.id, Company.name_norm)
                                   .where(Company.name_norm.in_(sorted(norms)), Company.merged_into_id.is_(None)))
        renamed = db.session.execute(select(Company.id, Company.former_norms)
                                     .where(Company.former_norms != "", Company.merged_into_id.is_(None)))
        for company_id, norm in named:
            self._remember(norm, company_id)
        for company_id, former in renamed:
            for norm in norms.intersection(former.strip("|").split("|")):
                self._remember(norm, company_id)

    def _remember(self, norm: str, company_id: int) -> None:
        if company_id < self._by_norm.get(norm, company_id + 1):
            self._by_norm[norm] = company_id  # the oldest record, as find_duplicates orders them

    def code_holder(self, code: str | None) -> Company | None:
        return self._by_code.get(code) if code else None

    def name_holder(self, norms: Iterable[str]) -> Company | None:
        """The oldest live company holding one of these norms as its name or a former name."""
        ids = [self._by_norm[n] for n in norms if n in self._by_norm]
        return db.session.get(Company, min(ids)) if ids else None
