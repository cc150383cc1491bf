"""The CLI and the API on the seeded parks with no demo data, and speed of park ranking."""
import csv
import io
import time

from crm.matching import queries
from crm.matching.scoring import CompanyProfile
from tests import factories


def test_cli_match_parks_reads_chinese_csv_and_writes_ranked_csv(runner, seeded, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("name,industry,main_business\n锂能科技,锂及锂电池,锂电池正极材料\n某酒业,,青稞白酒酿造\n",
                      encoding="utf-8")
    result = runner.invoke(args=["crm", "match", "parks", str(source), "--top", "2"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == ["name", "rank", "park_code", "park_name", "score", "strength", "reasons"]
    assert rows[0]["park_name"] == "西宁南川工业园区（西宁经济技术开发区）" and rows[0]["strength"] == "推荐"
    assert (rows[0]["name"], rows[0]["rank"], rows[0]["park_code"]) == ("锂能科技", "1", "NANCHUAN")
    assert "锂电池" in rows[0]["reasons"] and "主导产业" in rows[0]["reasons"]
    assert next(r["park_code"] for r in rows if r["name"] == "某酒业") == "HUZHU"


def test_cli_match_parks_refuses_a_csv_without_the_columns(runner, seeded, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("公司,行业\n甲,乙\n", encoding="utf-8")
    result = runner.invoke(args=["crm", "match", "parks", str(source)])
    assert result.exit_code != 0 and "missing CSV columns" in result.output


def test_cli_match_companies_on_seeded_parks(runner, seeded):
    factories.company("正极科技有限公司", main_business="磷酸铁锂正极材料")
    seeded.session.commit()
    result = runner.invoke(args=["crm", "match", "companies", "--park", "NANCHUAN", "--top", "3"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert any(r["company_name"] == "正极科技有限公司" and r["link"] == "正极、负极、隔膜材料" for r in rows)
    assert runner.invoke(args=["crm", "match", "companies", "--park", "NOPE"]).exit_code != 0
    reindex = runner.invoke(args=["crm", "match", "reindex"])
    assert reindex.exit_code == 0 and "1" in reindex.output


def test_api_match_parks_by_description_and_by_company(api_as, seeded):
    api = api_as("officer")
    body = api.post("/api/v1/match/parks", json={"name": "某公司", "main_business": "PVC型材"}).get_json()
    codes = [i["park_code"] for i in body["items"]]
    assert {"CHAERHAN", "DELINGHA"} & set(codes[:3])
    first = body["items"][0]
    assert set(first) >= {"score", "reasons", "warnings"} and isinstance(first["reasons"], list)
    company = factories.company("某铁合金厂", main_business="单一硅铁冶炼")
    seeded.session.commit()
    body = api.get(f"/api/v1/match/parks?company={company.id}").get_json()
    assert any("高耗能" in w for item in body["items"] for w in item["warnings"])
    assert api.post("/api/v1/match/parks", json={}).status_code == 422
    assert api.get("/api/v1/match/parks?company=999999").status_code == 404


def test_api_match_companies_for_a_link(api_as, seeded):
    factories.company("储能电池有限公司", main_business="锂离子电池电芯和储能系统")
    seeded.session.commit()
    api = api_as("manager")
    park = api.get("/api/v1/parks/NANCHUAN").get_json()
    link = next(link for chain in park["chains"] for link in chain["links"] if link["name"] == "储能和锂电池")
    body = api.get(f"/api/v1/match/companies?park=NANCHUAN&link={link['id']}").get_json()
    assert body["items"][0]["company_name"] == "储能电池有限公司"
    assert any("储能和锂电池" in r for r in body["items"][0]["reasons"])
    assert api.get("/api/v1/match/companies?park=NOPE").status_code == 404
    assert api.get("/api/v1/match/companies?park=NANCHUAN&link=999999").status_code == 404
    assert api.get("/api/v1/match/companies?park=NANCHUAN").status_code == 200


def test_api_needs_a_token(client, seeded):
    assert client.post("/api/v1/match/parks", json={"main_business": "锂电池"}).status_code == 401


def test_ranking_parks_for_one_company_is_fast(seeded):
    queries.parks_for_profile(CompanyProfile(main_business="预热"), user=None)
    texts = ["锂电池正极材料", "PVC型材", "青稞酒", "铝板带箔", "钛白粉", "多晶硅", "藏毯", "枸杞",
             "黄金冶炼", "有机硅"]
    start = time.perf_counter()
    for i in range(20):
        queries.parks_for_profile(CompanyProfile(name=f"企业{i}", main_business=texts[i % len(texts)]), user=None)
    assert time.perf_counter() - start < 2.0
