"""The matching API runs a few SQL statements per request once a worker's caches are warm, however many
companies, signed projects and candidates there are (the per-process caches are checked with one read)."""
import re

from sqlalchemy import select

from crm.parks.models import ChainLink
from crm.projects.stages import Stage
from tests import factories
from tests.statements import recorded_statements

# Signing in with a token (token, user, settings, its rate window) belongs to the API, not to matching.
AUTH = re.compile(r"\b(api_tokens|users|settings|api_rate_windows)\b")
# parks: the company with its tiers, the version tokens.
PARKS_STATEMENTS = 2
# companies: the version tokens, two for companies edited since their terms, the shortlist's companies,
# their tiers, their projects at the park.
COMPANIES_STATEMENTS = 6


def add_companies(n: int, start: int) -> list:
    companies = [factories.company(f"储能{start + i}电池有限公司", main_business="锂离子电池储能系统")
                 for i in range(n)]
    for company in companies:
        factories.project("NANCHUAN", Stage.signed, company=company, name=f"储能项目{company.id}")
    factories.db.session.commit()
    return companies


def matching_statements(api, path: str) -> list[str]:
    for _ in range(2):  # after a write: the first request refreshes the new companies' terms, the next
        api.get(path)  # fills the worker's caches (a transaction with its own uncommitted writes keeps none)
    with recorded_statements() as statements:
        response = api.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response.get_json()["items"], path
    return [s for s in statements if not AUTH.search(s)]


def test_parks_for_a_company_statements(api_as, seeded):
    api = api_as("manager")
    first = add_companies(3, 0)[0]
    path = f"/api/v1/match/parks?company={first.id}"
    few = matching_statements(api, path)
    assert len(few) <= PARKS_STATEMENTS, few
    add_companies(30, 100)
    assert len(matching_statements(api, path)) == len(few)


def test_companies_for_a_link_statements(api_as, seeded):
    api = api_as("manager")
    link = seeded.session.scalar(select(ChainLink).where(ChainLink.name == "储能和锂电池"))
    add_companies(3, 0)
    path = f"/api/v1/match/companies?park=NANCHUAN&link={link.id}"
    few = matching_statements(api, path)
    assert len(few) <= COMPANIES_STATEMENTS, few
    add_companies(30, 100)
    assert len(matching_statements(api, path)) == len(few)
