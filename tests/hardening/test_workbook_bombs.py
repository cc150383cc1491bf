"""A small xlsx that unpacks to something huge is refused before it is opened, with a message, and the check
itself holds almost nothing in memory; ordinary workbooks still import."""
import io
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from crm.companies.models import Company
from crm.core import uploads

MARK = "CELL-TO-INFLATE"


def _workbook(cell: str = MARK) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["企业名称", "统一社会信用代码"])
    sheet.append([cell, ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _inflated(characters: int) -> bytes:
    """The workbook with its one cell grown to `characters` letters, written in the zip as Excel would."""
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            data = source.read(item)
            if MARK.encode() in data:
                before, after = data.split(MARK.encode())
                with target.open(item.filename, "w", force_zip64=True) as part:
                    part.write(before)
                    block = b"a" * 2**20
                    for _ in range(characters // len(block)):
                        part.write(block)
                    part.write(b"a" * (characters % len(block)))
                    part.write(after)
            else:
                target.writestr(item, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _inflated(300 * 2**20)  # 300 MB of one letter in well under 1 MB


def test_a_bomb_is_refused_from_its_declared_size_at_once(bomb):
    assert len(bomb) < 2 * 2**20
    tracemalloc.start()
    started = time.monotonic()
    problem = uploads.workbook_problem(bomb)
    elapsed, (_now, peak) = time.monotonic() - started, tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert problem and "解压后超过" in problem
    assert elapsed < 1 and peak < 8 * 2**20


def test_a_cell_past_excels_limit_is_refused_while_streaming():
    tall = _inflated(40_000)
    tracemalloc.start()
    problem = uploads.workbook_problem(tall)
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert problem and "32767" in problem.replace(",", "")
    assert peak < 8 * 2**20
    assert uploads.workbook_problem(_workbook("青海盐湖锂业股份有限公司")) is None


def test_the_import_page_refuses_the_bomb_with_a_message_and_imports_a_normal_file(login_as, seeded, bomb, db):
    officer = login_as("officer")
    before = db.session.query(Company).count()
    answer = officer.post("/companies/import", data={"file": (io.BytesIO(bomb), "企业.xlsx"), "kind": "companies"},
                          content_type="multipart/form-data")
    assert answer.status_code in (400, 413) and "解压后超过" in answer.get_data(as_text=True)
    normal = io.BytesIO(_workbook("格尔木测试锂业有限公司"))
    fine = officer.post("/companies/import", data={"file": (normal, "企业.xlsx"), "kind": "companies"},
                        content_type="multipart/form-data")
    assert fine.status_code == 302 and "/import/" in fine.headers["Location"]
    assert db.session.query(Company).count() == before  # a preview writes nothing


def test_opening_a_bomb_for_any_other_upload_is_refused(bomb):
    with pytest.raises(uploads.ServiceError) as refused:
        uploads.open_workbook(bomb)
    assert refused.value.status == 413
