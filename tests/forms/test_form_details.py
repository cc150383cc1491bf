"""Details of particular forms: the months and amounts people type, the import preview's words, no preset nature."""
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from crm.core.errors import ServiceError
from crm.projects.funds import parse_amount, parse_period
from tests.companies.codes import broken_code, valid_code


@pytest.mark.parametrize("typed", ["2026年11月", "2026-11", "2026/11", "2026.11", "2026 年 11 月", "２０２６年１１月",
                                   "2026-11-05", "2026年11月5日"])
def test_a_month_is_read_as_people_write_it(typed):
    assert parse_period(typed) == date(2026, 11, 1)


@pytest.mark.parametrize("typed", ["2026年13月", "十一月", "26-11", "2026", ""])
def test_a_month_that_is_not_one_is_refused_beside_its_field(typed):
    with pytest.raises(ServiceError) as refused:
        parse_period(typed)
    assert "2026-11" in refused.value.fields["period"]


@pytest.mark.parametrize(("typed", "amount"), [("500", Decimal("500")), ("500.5", Decimal("500.5")),
                                               ("1,200", Decimal("1200")), ("５００", Decimal("500"))])
def test_amounts_in_digits_are_accepted(typed, amount):
    assert parse_amount(typed) == amount


def test_an_amount_in_chinese_numerals_gets_a_message_saying_how_to_write_it():
    with pytest.raises(ServiceError) as refused:
        parse_amount("五百")
    assert "阿拉伯数字" in refused.value.fields["amount"] and "500" in refused.value.fields["amount"]


def test_the_new_company_form_starts_with_no_nature_chosen(seeded, login_as):
    html = login_as("officer").get("/companies/new").get_data(as_text=True)
    select = html[html.index('name="ownership"'):]
    select = select[:select.index("</select>")]
    assert 'selected value="央企"' not in select and 'value="央企" selected' not in select
    assert '<option selected value="">' in select or '<option value="" selected>' in select


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_preview_names_fields_in_chinese_and_every_error_of_a_row(seeded, login_as):
    from crm.companies import services

    services.create_company({"name": "青海预览测试有限公司", "credit_code": valid_code(7)}, actor=None)
    seeded.session.commit()
    officer = login_as("officer")
    data = _xlsx([["企业名称", "统一社会信用代码", "主营业务", "总部省份", "注册资本(万元)", "企业性质"],
                  ["青海预览测试有限公司", valid_code(7), "盐湖提锂", "青海省", "", ""],
                  ["三处错误有限公司", broken_code(8), "", "", "很多", "乡镇企业"]])
    page = officer.post("/companies/import", data={"kind": "companies", "file": (io.BytesIO(data), "企业.xlsx")},
                        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "更新字段：主营业务、总部省份" in page
    assert "main_business" not in page and "hq_province" not in page
    refused = page[page.index("三处错误有限公司"):]
    refused = refused[:refused.index("</tr>")]
    assert "信用代码" in refused and "注册资本(万元)无效：很多" in refused and "企业性质无效：乡镇企业" in refused


@pytest.mark.parametrize(("role", "path"), [("park_staff", "/projects/{id}/problems/new"),
                                            ("manager", "/projects/{id}/transition?to=started"),
                                            ("officer", "/contacts/logs"), ("manager", "/dashboard/")])
def test_date_inputs_say_their_format(seeded, login_as, role, path):
    from crm.projects.stages import Stage
    from tests import factories

    project = factories.project(stage=Stage.preparing)
    seeded.session.commit()
    client = login_as(role, parks=("NANCHUAN",) if role == "park_staff" else ())
    html = client.get(path.format(id=project.id)).get_data(as_text=True)
    assert 'type="date"' in html and "格式：yyyy-mm-dd" in html
