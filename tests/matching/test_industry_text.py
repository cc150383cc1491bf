"""A company's industry as written is kept and used (API, import); GB/T 4754 codes are checked against the
classification on companies and projects."""
from crm.companies.models import Company
from crm.matching import queries


def test_api_keeps_the_written_industry_and_checks_the_code(api_as, seeded):
    api = api_as("manager")
    bad = api.post("/api/v1/companies", json={"name": "甲光伏有限公司", "industry_code": "9999"})
    assert bad.status_code == 422 and "industry_code" in bad.get_json()["error"]["fields"]
    created = api.post("/api/v1/companies", json={"name": "甲光伏有限公司", "industry": "光伏制造(单晶硅棒)",
                                                  "industry_code": "3825"})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["industry"] == "光伏制造(单晶硅棒)" and body["industry_code"] == "3825"
    profile = queries.company_profile(body["id"], user=None)
    assert profile.industry_text == "光伏制造(单晶硅棒)" and profile.gbt_code == "3825"
    best = queries.parks_for_profile(profile, 3, user=None).matches
    assert any("3825 光伏设备及元器件制造" in r for m in best for r in m.reasons)


def test_import_keeps_an_industry_outside_the_dictionary_as_written(runner, seeded, tmp_path):
    path = tmp_path / "企业.csv"
    path.write_text("企业名称,所属行业,主营业务\n乙乳业有限公司,驼奶加工,驼奶及驼奶粉\n", encoding="utf-8")
    done = runner.invoke(args=["crm", "import", "companies", str(path)])
    assert done.exit_code == 0, done.output
    company = seeded.session.query(Company).filter_by(name="乙乳业有限公司").one()
    assert company.industry_text == "驼奶加工" and company.industry_id is None


def test_project_code_is_checked_and_returned(api_as, seeded):
    from tests import factories
    company = factories.company("丙硅业有限公司")
    seeded.session.commit()
    api = api_as("manager")
    wrong = api.post("/api/v1/projects", json={"name": "单晶项目", "company_id": company.id, "park": "NANCHUAN",
                                                "gbt_code": "ZZ"})
    assert wrong.status_code == 422 and "gbt_code" in wrong.get_json()["error"]["fields"]
    made = api.post("/api/v1/projects", json={"name": "单晶项目", "company_id": company.id, "park": "NANCHUAN",
                                               "gbt_code": "3825"})
    assert made.status_code == 201 and made.get_json()["gbt_code"] == "3825"
