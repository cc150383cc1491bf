"""The ledger shows each project's land: the parcels supplied to it (else its stated 亩) and 投资强度 on it."""
from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from crm.land import services
from tests.land.conftest import parcel, signed_project


def test_the_ledger_has_land_and_intensity_columns_as_numbers(seeded, admin, login_as):
    supplied = signed_project(fixed="62000", name="有供地项目")
    services.supply_carrier(supplied, parcel(admin, area="100"), actor=admin, now=None,
                            values={"supplied_on": "2025-07-01", "agreed_start": "2025-09-01"})
    signed_project(fixed="9000", name="自报用地项目", land_mu=Decimal("30"))
    seeded.session.commit()
    response = login_as("manager").get(f"/reports/ledger.xlsx?month={date.today():%Y-%m}")
    ws = load_workbook(BytesIO(response.data))["项目台账"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    headers = rows[2]
    assert headers[-2:] == ["用地（亩）", "投资强度（万元/亩）"]
    by_name = {r[2]: r for r in rows[3:] if r[2]}
    assert by_name["有供地项目"][-2:] == [100, 620]
    assert by_name["自报用地项目"][-2:] == [30, 300]
    assert ws.cell(row=4, column=len(headers)).data_type == "n"
