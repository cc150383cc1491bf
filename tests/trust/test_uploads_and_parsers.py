"""The shared upload checker and the parsers, including property-based tests (hypothesis)."""
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from stdnum.cn import uscc
from werkzeug.datastructures import FileStorage

from crm.api.base import field_date
from crm.core import uploads
from crm.core.errors import APIError, ServiceError
from crm.core.formatting import parse_money
from crm.core.validators import is_valid_credit_code, normalise_credit_code


def _xlsx(formula: bool = False) -> bytes:
    book = Workbook()
    book.active["A1"] = "企业名称"
    book.active["A2"] = "=1+1" if formula else "青海盐湖"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _file(data: bytes, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name)


def test_type_is_taken_from_content_not_name(app):
    with app.test_request_context():
        assert uploads.check_upload(_file(_xlsx(), "a.xlsx"), {"xlsx"}).kind == "xlsx"
        assert uploads.check_upload(_file(b"%PDF-1.7 ...", "scan.png"), {"pdf"}).kind == "pdf"
        for data in (b"MZ\x90\x00 executable", b"<html><script>alert(1)</script>", b"\xff\xfe\x00\x00bad"):
            with pytest.raises(ServiceError) as refused:
                uploads.check_upload(_file(data, "data.xlsx"), {"xlsx"})
            assert refused.value.status == 415


def test_macro_workbooks_are_refused(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/vbaProject.bin", b"\x00macro")
    with app.test_request_context(), pytest.raises(ServiceError):
        uploads.check_upload(_file(buffer.getvalue(), "book.xlsx"), {"xlsx"})


def test_size_limit_answers_413_with_the_limit(app):
    with app.test_request_context(), pytest.raises(ServiceError) as refused:
        uploads.check_upload(_file(b"a,b\n" * 1000, "big.csv"), {"csv"}, max_bytes=1024)
    assert refused.value.status == 413


def test_request_over_max_content_length_gets_a_clear_413(app, login_as):
    client = login_as("officer")
    app.config["MAX_CONTENT_LENGTH"], before = 1024, app.config["MAX_CONTENT_LENGTH"]
    try:
        response = client.post("/profile", data={"display_name": "x" * 5000})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = before
    assert response.status_code == 413 and "上传的文件太大" in response.get_data(as_text=True)


def test_stored_outside_static_under_a_random_name(app):
    with app.test_request_context():
        checked = uploads.check_upload(_file(b"\x89PNG\r\n\x1a\n....", "../../evil.png"), {"png"})
        name = uploads.store(checked, "evidence")
        path = uploads.stored_path(name)
        assert "evil" not in name and path.read_bytes().startswith(b"\x89PNG")
        assert not path.is_relative_to(app.static_folder)
        with pytest.raises(ServiceError):
            uploads.stored_path("../../etc/passwd")


def test_workbooks_are_read_without_evaluating_formulas(app):
    with app.test_request_context():
        sheet = uploads.open_workbook(_xlsx(formula=True)).active
        values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert values[1] is None or values[1] == "=1+1"  # a cached value only; never computed here


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_parse_money_returns_a_decimal_or_value_error(text):
    try:
        value = parse_money(text)
    except ValueError:
        return
    assert value is None or (isinstance(value, Decimal) and abs(value) < Decimal("1e13"))


@given(st.decimals(min_value=-10**12, max_value=10**12, places=4, allow_nan=False))
def test_parse_money_round_trips_amounts(amount):
    assert parse_money(f"{amount:,}") == amount


ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@given(st.text(alphabet="0123456789", min_size=8, max_size=8), st.text(alphabet=ALPHABET, min_size=9, max_size=9))
def test_credit_code_check_character(head, tail):
    stem = head + tail  # registration authority, type and region are digits (GB 32100-2015)
    valid = stem + uscc.calc_check_digit(stem)
    assert is_valid_credit_code(valid) and normalise_credit_code(valid.lower()) == valid
    wrong = valid[:-1] + next(c for c in ALPHABET if c != valid[-1])
    assert not is_valid_credit_code(wrong)


@given(st.text(max_size=30))
def test_credit_code_check_never_crashes(text):
    assert is_valid_credit_code(text) in (True, False)


@given(st.one_of(st.text(max_size=20), st.integers(), st.none(), st.lists(st.integers(), max_size=2)))
def test_api_dates_are_dates_or_a_422(app, value):
    with app.test_request_context():
        try:
            parsed = field_date({"d": value}, "d")
        except APIError as error:
            assert error.status == 422
            return
    assert parsed is None or isinstance(parsed, date)
