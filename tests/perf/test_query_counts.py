"""The main pages and API lists run a fixed number of SQL statements, however many rows they show."""
from datetime import date
from decimal import Decimal

import pytest

from crm.companies.models import Company, CompanyTier, ContactLog
from crm.extensions import db as _db
from crm.projects.models import FundsEntry, Project
from crm.projects.stages import Stage
from tests import factories
from tests.statements import recorded_statements

PAGES = [("companies.index", "/companies/", False), ("projects.index", "/projects/", False),
         ("metrics.dashboard", "/dashboard/", False), ("companies_api.companies", "/api/v1/companies", True),
         ("projects_api.projects", "/api/v1/projects", True)]




def make_rows(n: int, officer) -> None:
    park, fair = factories.park("GANHE"), factories.event(2025)
    for i in range(n):
        company = Company(name=f"青海计数{i}新材料有限公司", name_norm=f"青海计数{i}新材料", officer_id=officer.id)
        _db.session.add(company)
        _db.session.flush()
        _db.session.add_all([CompanyTier(company_id=company.id, tier="上市公司", year=2025),
                             ContactLog(company_id=company.id, date=date(2025, 5, 1), officer_id=officer.id)])
        project = Project(name=f"计数项目{i}", company_id=company.id, park_id=park.id, stage=Stage.started,
                          counted_stage=Stage.started, signed_date=date(2025, 6, 1), started_date=date(2025, 8, 1),
                          agreed_investment=Decimal(10000), event_id=fair.id, officer_id=officer.id)
        _db.session.add(project)
        _db.session.flush()
        _db.session.add(FundsEntry(project_id=project.id, period=date(2025, 9, 1), amount=Decimal(100)))
    _db.session.commit()


def statements_for(client, path: str, api: bool) -> int:
    with recorded_statements() as statements:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(statements)


@pytest.mark.parametrize(("endpoint", "path", "api"), PAGES, ids=[p[0] for p in PAGES])
def test_statement_count_does_not_grow_with_rows(app, seeded, login_as, api_as, endpoint, path, api):
    if endpoint not in {rule.endpoint for rule in app.url_map.iter_rules()}:
        pytest.skip(f"{endpoint} is not registered in this build yet")
    client = api_as("manager") if api else login_as("manager")
    make_rows(5, client.user)
    statements_for(client, path, api)  # first request warms caches (settings, translations)
    few = statements_for(client, path, api)
    make_rows(35, client.user)
    many = statements_for(client, path, api)
    # A few statements may come and go (a throttled token "last used" write); N+1 would add 35 or more.
    assert many <= few + 3, f"{path}: {few} statements for 5 rows, {many} for 40 — an N+1 query"
