"""The main pages and API lists run a fixed number of SQL statements, however many rows they show."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.companies.models import Company, CompanyTier, ContactLog
from crm.core import settings
from crm.core.security import PASSWORD_MAX_AGE
from crm.extensions import db as _db
from crm.metrics import cache as metrics_cache
from crm.projects.models import FundsEntry, Project
from crm.projects.stages import Stage
from tests import factories
from tests.statements import recorded_statements

PAGES = [("companies.index", "/companies/", False), ("projects.index", "/projects/", False),
         ("metrics.dashboard", "/dashboard/", False), ("companies_api.companies", "/api/v1/companies", True),
         ("projects_api.projects", "/api/v1/projects", True), ("projects.board", "/projects/board", False),
         # a search read from the search index and a filtered list, page and API
         ("companies.index", "/companies/?q=计数&sort=name", False),
         ("companies.index", "/companies/?tier=上市公司&ownership=其他", False),
         ("companies_api.companies", "/api/v1/companies?q=计数&tier=上市公司", True)]




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
    metrics_cache.clear()  # count what the dashboard computes, not a copy kept from the previous request
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


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/?park=GANHE", "/reports/fair/{fair}"])
def test_a_warm_figures_page_reads_no_figures_again(seeded, login_as, path):
    """Served from the per-process copy: the data version is read, no project or funds row is aggregated."""
    client = login_as("manager")
    make_rows(5, client.user)
    path = path.format(fair=_db.session.scalar(select(Project.event_id).limit(1)))
    statements_for(client, path, False)  # computes and keeps the figures
    _db.session.rollback()  # a request of its own, as in a worker: the tests' requests share one transaction
    with recorded_statements() as statements:
        assert client.get(path).status_code == 200
    figures = [s for s in statements if "sum(" in s.lower() or "group by" in s.lower()]
    assert figures == [], figures
    assert any("metric_data_version" in s for s in statements)
    assert len(statements) <= 12, statements


@pytest.mark.parametrize(("api", "path", "tokens"), [
    (False, "/dashboard/", "metric_data_version"),
    (True, "/api/v1/match/parks?company={company}", "matching_versions")], ids=["dashboard page", "match API"])
def test_settings_and_tokens_come_with_the_user_not_in_statements_of_their_own(seeded, login_as, api_as, api, path,
                                                                               tokens):
    """Every request reads a setting (the password's age), and the figures and matching read their data
    tokens: the user's statement brings them along (crm.core.prefetch)."""
    settings.put(PASSWORD_MAX_AGE, 3650)  # an override to carry, with expiry on
    client = api_as("manager") if api else login_as("manager")
    make_rows(3, client.user)
    path = path.format(company=_db.session.scalar(select(Company.id).limit(1)))
    assert client.get(path).status_code == 200  # a token's first use writes its time and commits
    _db.session.rollback()  # a request of its own, as in a worker
    with recorded_statements() as statements:
        assert client.get(path).status_code == 200
    first, rest = statements[0], statements[1:]
    assert "FROM settings" in first and tokens in first, first
    assert not [s for s in rest if "FROM settings" in s or tokens in s], rest
