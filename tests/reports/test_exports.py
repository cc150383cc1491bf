"""Ledger and summary workbooks: right totals, formula-like text kept as text, LibreOffice renders them."""
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from crm.core.audit import AuditEntry
from crm.projects.models import FundsEntry, Problem
from crm.projects.stages import Stage
from tests import factories as f


def _data(seeded):
    fair = f.event(2025)
    a = f.project("NANCHUAN", Stage.started, agreed_investment=Decimal("1000"), event_id=fair.id,
                  contact_leader="=HYPERLINK(\"http://x\")", responsible_unit="南川园区管委会")
    b = f.project("NANCHUAN", Stage.signed, agreed_investment=Decimal("3000"), event_id=fair.id)
    f.project("GANHE", Stage.producing, agreed_investment=Decimal("6000"))
    f.project("GANHE", Stage.signed, signed_date=date(2026, 1, 5))  # signed after the month: not in it
    f.project("GANHE", Stage.negotiating)
    seeded.session.add_all([
        FundsEntry(project_id=a.id, period=date(2025, 9, 1), amount=Decimal("100")),
        FundsEntry(project_id=a.id, period=date(2025, 10, 1), amount=Decimal("250.5")),
        FundsEntry(project_id=a.id, period=date(2025, 11, 1), amount=Decimal("999")),  # after the month
        Problem(project_id=b.id, description="-用地未报批", raised_on=date(2025, 9, 1)),
    ])
    seeded.session.commit()
    return fair


def _rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_ledger_cli_writes_workbook_with_right_totals(seeded, runner, tmp_path):
    _data(seeded)
    out = tmp_path / "ledger.xlsx"
    result = runner.invoke(args=["crm", "export", "ledger", "--month", "2025-10", "--out", str(out)])
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)["项目台账"]
    rows = _rows(ws)
    assert "台账" in rows[0][0] and "2025年10月" in rows[0][0] and rows[1][0] == "单位：万元"
    data = rows[3:6]
    assert len(data) == 3
    totals = rows[6]
    assert totals[0] == "合计" and totals[4] == 10000  # 1000 + 3000 + 6000
    assert totals[8] == 250.5 and totals[9] == 350.5  # this month; to date (November excluded)
    assert totals[10] == 3.51  # 350.5 ÷ 10000
    assert rows[8][0].startswith("制表日期")
    leader = next(r for r in data if r[12] == "南川园区管委会")
    assert leader[11] == '=HYPERLINK("http://x")'  # kept as text, not a formula
    assert ws.cell(row=4 + data.index(leader), column=12).data_type == "s"
    assert any(r[13] == "-用地未报批" for r in data)
    assert seeded.session.query(AuditEntry).filter_by(action="export").count() == 1


def test_summary_by_park_and_by_fair(seeded, login_as):
    fair = _data(seeded)
    client = login_as("manager")
    response = client.get("/reports/summary.xlsx?month=2025-10")
    assert response.status_code == 200 and response.mimetype.endswith("sheet")
    wb = load_workbook(BytesIO(response.data))
    park_rows = _rows(wb["按园区"])
    totals = next(r for r in park_rows if r[0] == "合计")
    assert totals[2] == 3 and totals[5] == 2 and totals[7] == 10000 and totals[9] == 350.5
    fair_rows = _rows(wb["按展会"])
    assert any(r[1] == fair.name and r[2] == 2 for r in fair_rows)


def test_download_scoped_for_park_staff(seeded, login_as):
    _data(seeded)
    staff = login_as("park_staff", parks=["GANHE"])
    wb = load_workbook(BytesIO(staff.get("/reports/ledger.xlsx?month=2025-10").data))
    rows = _rows(wb["项目台账"])
    assert next(r for r in rows if r[0] == "合计")[4] == 6000
    assert staff.get("/reports/ledger.xlsx?month=junk").status_code == 400


def test_fair_report_lists_projects_not_started_with_problems(seeded, login_as):
    fair = _data(seeded)
    html = login_as("manager").get(f"/reports/fair/{fair.id}").get_data(as_text=True)
    assert 'data-figure="start_rate">50.00%' in html and "-用地未报批" in html
    assert login_as("manager").get("/reports/fair/99999").status_code == 404


@pytest.mark.slow
def test_libreoffice_renders_the_ledger(seeded, runner, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui): the ledger's render "
                    "was not checked")
    _data(seeded)
    out = tmp_path / "ledger.xlsx"
    assert runner.invoke(args=["crm", "export", "ledger", "--month", "2025-10", "--out", str(out)]).exit_code == 0
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "ledger.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
