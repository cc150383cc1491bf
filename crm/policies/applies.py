"""What applies to a project in its park: the clauses of the documents covering the park, term by term."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.extensions import db
from crm.policies.conditions import Facts, Outcome, evaluate, intensity
from crm.policies.models import PolicyClause, PolicyDocument
from crm.policies.queries import covers_park, park_places


@dataclass(frozen=True)
class Applicable:
    clause: PolicyClause
    outcome: Outcome
    expired: bool

    @property
    def applies(self) -> bool:
        """Counted as applying: the condition is met and the document is still in force."""
        return bool(self.outcome.met) and not self.expired

    @property
    def sentence(self) -> str:
        return f"{self.outcome.sentence}（{self.clause.citation}）"


def project_facts(project) -> Facts:
    company = project.company
    return Facts(investment_intensity=intensity(project.fixed_asset_investment, project.land_mu),
                 agreed_investment=project.agreed_investment,
                 tiers=tuple(t.tier for t in company.tiers) if company is not None else (),
                 industry=project.industry.name if project.industry is not None else "")


def _documents_for(park_code: str, industry: str) -> list[PolicyDocument]:
    places = park_places(park_code)
    if places is None:
        return []
    documents = db.session.scalars(select(PolicyDocument).options(
        selectinload(PolicyDocument.clauses)).order_by(PolicyDocument.year.desc(), PolicyDocument.key)).all()
    return [d for d in documents if covers_park(d, *places) and (not d.industries or industry in d.industries)]


def for_facts(park_code: str, facts: Facts, today: date) -> list[Applicable]:
    """Every structured term of the documents covering the park, checked; in force first, then by document."""
    found = []
    for document in _documents_for(park_code, facts.industry):
        expired = document.expired(today)
        for clause in document.clauses:
            found += [Applicable(clause, evaluate(term, facts), expired) for term in clause.terms or []]
    return sorted(found, key=lambda a: (a.expired, a.outcome.met is not True, a.outcome.met is None))


def for_project(project, today: date) -> list[Applicable]:
    return for_facts(project.park.code, project_facts(project), today)
