"""亩均 evaluation: yearly figures entered, a park's ranking with classes against its average, the workbook's
Chinese headers and numeric cells, and the API for a year's figures."""
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from crm.land import efficiency
from tests import factories
from tests.land.conftest import signed_project


def _landed(name: str, mu: str, tax: str, output: str, admin, park="NANCHUAN"):
    project = signed_project(park, name=name, land_mu=Decimal(mu))
    efficiency.record_yearly(project, actor=admin, values={"year": "2025", "tax": tax, "output_value": output})
    return project


def _world(admin):
    # totals: 300 亩, tax 3000 → park average 10 万元/亩; output 30000 → 100 万元/亩
    _landed("甲项目", "100", "1500", "15000", admin)  # 15 / 150: ≥ 1.2× both → A
    _landed("乙项目", "100", "1000", "9000", admin)  # 10 / 90: ≥ 0.8× → B
    _landed("丙项目", "50", "300", "3000", admin)  # 6 / 60: ≥ 0.5× → C
    _landed("丁项目", "50", "200", "3000", admin)  # 4 / 60: tax below half the average → D
    _landed("外园区项目", "10", "9000", "9000", admin, park="GANHE")  # another park: not in the report


def test_the_park_report_ranks_by_tax_per_mu_and_classes_against_the_park_average(seeded, admin):
    _world(admin)
    report = efficiency.park_report(factories.park("NANCHUAN").id, 2025)
    assert (report.land_mu, report.tax_per_mu, report.output_per_mu) == (300, Decimal("10.00"), Decimal("100.00"))
    assert [(r.project.name, r.tax_per_mu, r.grade) for r in report.rows] == [
        ("甲项目", Decimal("15.00"), "A"), ("乙项目", Decimal("10.00"), "B"), ("丙项目", Decimal("6.00"), "C"),
        ("丁项目", Decimal("4.00"), "D")]


def test_the_report_exports_to_excel_with_chinese_headers_and_numeric_cells(seeded, admin, login_as):
    _world(admin)
    seeded.session.commit()
    staff = login_as("park_staff", parks=["NANCHUAN"])
    response = staff.get("/land/parks/NANCHUAN/efficiency.xlsx?year=2025")
    assert response.status_code == 200 and response.mimetype.endswith("sheet")
    ws = load_workbook(BytesIO(response.data))["亩均评价"]
    assert "2025年度亩均效益评价" in ws.cell(row=1, column=1).value
    headers = [c.value for c in ws[3]]
    assert headers == ["排名", "项目名称", "企业名称", "用地（亩）", "产值（万元）", "税收（万元）", "能耗（吨标准煤）",
                       "从业人员", "亩均产值（万元/亩）", "亩均税收（万元/亩）", "分类"]
    first = [c for c in ws[4]]
    assert first[1].value == "甲项目" and first[10].value == "A"
    assert [(first[i].value, first[i].data_type) for i in (3, 5, 8, 9)] == [(100, "n"), (1500, "n"), (150, "n"),
                                                                             (15, "n")]
    assert ws.cell(row=8, column=1).value == "合计" and ws.cell(row=8, column=10).value == 10
    page = staff.get("/land/parks/NANCHUAN/efficiency?year=2025").get_data(as_text=True)
    assert "甲项目" in page and "外园区项目" not in page
    assert login_as("park_staff", parks=["GANHE"]).get("/land/parks/NANCHUAN/efficiency.xlsx").status_code == 404


def test_the_yearly_api_records_and_corrects_a_year_and_names_bad_fields(seeded, api_as):
    project = signed_project(land_mu=Decimal("40"))
    seeded.session.commit()
    api = api_as("park_staff", parks=["NANCHUAN"])
    url = f"/api/v1/projects/{project.id}/yearly"
    first = api.post(url, json={"year": "2024", "tax": "800", "output_value": "12000", "employees": 85})
    assert first.status_code == 201
    assert api.post(url, json={"year": "2024", "tax": "900"}).status_code == 201  # the same year: corrected
    bad = api.post(url, json={"year": "二〇二四", "tax": "-1"})
    assert bad.status_code == 422 and set(bad.json["error"]["fields"]) == {"year", "tax"}
    assert api.get(url).json["items"] == [{"year": 2024, "output_value": None, "tax": "900", "energy_use": None,
                                           "employees": None}]
    assert api_as("officer").post(url, json={"year": "2024", "tax": "1"}).status_code == 403
    assert api_as("park_staff", parks=["GANHE"]).get(url).status_code == 404


def test_fixed_bars_class_the_same_projects_by_their_own_values(seeded, admin):
    _world(admin)
    fixed = {"relative_to": "fixed", "rest": "D", "classes": [{"name": "A", "tax_min": 30, "output_min": 0},
                                                              {"name": "B", "tax_min": 8, "output_min": 80}]}
    report = efficiency.park_report(factories.park("NANCHUAN").id, 2025, fixed)
    assert [(r.project.name, r.grade) for r in report.rows] == [("甲项目", "B"), ("乙项目", "B"), ("丙项目", "D"),
                                                                ("丁项目", "D")]
