"""Import: a preview gives every row its fate, commit writes only good rows, a re-import adds nothing."""
import io
import time
from datetime import timedelta

from openpyxl import Workbook, load_workbook

from crm.companies import import_jobs
from crm.companies.models import Company
from crm.core.audit import AuditEntry
from crm.core.db import utcnow
from tests.companies.codes import broken_code, valid_code

HEADER = ["企业名称", "统一社会信用代码", "所属行业", "主营业务", "注册资本(万元)", "榜单"]


def _rows():
    return [
        ["青海导入新材料有限公司", valid_code(2), "新材料", "碳纤维", "5,000", "中国500强 2024;上市公司"],
        ["青海测试锂业股份有限公司", "", "锂及锂电池", "电池级碳酸锂", "", ""],  # same as existing: adds data
        ["青海测试锂业有限公司", valid_code(1), "", "", "", ""],  # nothing new: duplicate
        ["坏代码公司", broken_code(3), "化工工业", "PVC", "", ""],
        ["", valid_code(4), "化工工业", "无名", "", ""],
        ["金额错误有限公司", "", "", "", "很多", ""],
    ]


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in _rows():
        sheet.append(row)
    sheet.append(["公式公司", "", "", "=1+1", "", ""])  # a formula is read as its cached value, never run
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _gbk_csv() -> bytes:
    lines = [",".join(HEADER)] + [",".join(f'"{c}"' for c in row) for row in _rows()]
    return "\r\n".join(lines).encode("gbk")


def _existing(db):
    from crm.companies import services

    services.create_company({"name": "青海测试锂业有限公司", "credit_code": valid_code(1)}, actor=None)
    db.session.commit()


def _fates(page: str) -> list[str]:
    return [line.split('data-fate="')[1].split('"')[0] for line in page.split("\n") if 'data-fate="' in line]


def _upload(client, data: bytes, filename: str):
    return client.post("/companies/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data", follow_redirects=True)


def _commit_and_wait(client, token: str, db) -> str:
    """Commit the previewed upload and follow its report until the background run has ended."""
    client.post("/companies/import/commit", data={"token": token})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        poll = client.get(f"/companies/import/{token}/report", headers={"HX-Request": "true"})
        if poll.status_code == 204:  # the run ended: the poll asks the page to reload into the report
            assert poll.headers["HX-Refresh"] == "true"
            db.session.rollback()  # end this test's own read transaction, to see what the run committed
            return client.get(f"/companies/import/{token}/report").get_data(as_text=True)
        assert poll.status_code == 200 and 'data-state="running"' in poll.get_data(as_text=True)
        time.sleep(0.05)
    raise AssertionError("the import did not finish within a minute")


def _token(page: str) -> str:
    return page.split('name="token" value="')[1].split('"')[0]


def test_xlsx_preview_commit_and_reimport(login_as, seeded):
    _existing(seeded)
    before = seeded.session.query(Company).count()
    officer = login_as("officer")
    page = _upload(officer, _xlsx(), "企业.xlsx")
    body = page.get_data(as_text=True)
    assert page.status_code == 200, body[:500]
    assert _fates(body) == ["new", "update", "duplicate", "refused", "refused", "refused", "new"]
    assert "校验位" in body and "缺少企业名称" in body and "注册资本(万元)无效：很多" in body
    assert seeded.session.query(Company).count() == before  # the preview writes nothing
    token = _token(body)
    report = _commit_and_wait(officer, token, seeded)
    assert _fates(report) == ["new", "update", "duplicate", "refused", "refused", "refused", "new"]
    assert seeded.session.query(Company).count() == before + 2
    lithium = seeded.session.query(Company).filter_by(name="青海测试锂业有限公司").one()
    assert lithium.main_business == "电池级碳酸锂" and lithium.industry is not None
    new = seeded.session.query(Company).filter_by(name="青海导入新材料有限公司").one()
    assert str(new.registered_capital) == "5000.0000" and {t.tier for t in new.tiers} == {"中国500强", "上市公司"}
    assert seeded.session.query(Company).filter_by(name="公式公司").one().main_business == ""
    refused = officer.get(f"/companies/import/{token}/refused.xlsx")
    sheet = load_workbook(io.BytesIO(refused.data)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [5, 6, 7]
    again = _upload(officer, _xlsx(), "企业.xlsx").get_data(as_text=True)
    assert set(_fates(again)) == {"duplicate", "refused"}


def test_gbk_csv_through_the_cli_with_dry_run(runner, seeded, tmp_path):
    _existing(seeded)
    before = seeded.session.query(Company).count()
    path = tmp_path / "企业.csv"
    path.write_bytes(_gbk_csv())
    dry = runner.invoke(args=["crm", "import", "companies", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1 new, 1 update, 1 duplicate, 3 refused" in dry.output
    assert seeded.session.query(Company).count() == before
    done = runner.invoke(args=["crm", "import", "companies", str(path)])
    assert done.exit_code == 0 and "校验位" in done.output
    assert seeded.session.query(Company).count() == before + 1
    again = runner.invoke(args=["crm", "import", "companies", str(path)])
    assert "0 new, 0 update, 3 duplicate, 3 refused" in again.output
    assert seeded.session.query(Company).count() == before + 1


def test_upload_that_is_not_a_table_is_refused(login_as, seeded):
    officer = login_as("officer")
    response = _upload(officer, b"\x00\x01binary", "x.xlsx")
    assert response.status_code == 400 and "xlsx" in response.get_data(as_text=True)
    assert login_as("park_staff", parks=["NANCHUAN"]).get("/companies/import").status_code == 403


def test_log_import_needs_known_company_and_skips_repeats(runner, db, tmp_path):
    _existing(db)
    path = tmp_path / "logs.csv"
    path.write_text("企业名称,日期,方式,内容,下次跟进\n青海测试锂业有限公司,2026-03-01,拜访,洽谈,2026-03-20\n"
                    "不存在公司,2026-03-01,拜访,洽谈,\n青海测试锂业有限公司,2026/3/2,喝茶,洽谈,\n",
                    encoding="utf-8-sig")
    first = runner.invoke(args=["crm", "import", "logs", str(path)])
    assert "1 new, 0 update, 0 duplicate, 2 refused" in first.output, first.output
    second = runner.invoke(args=["crm", "import", "logs", str(path)])
    assert "0 new, 0 update, 1 duplicate, 2 refused" in second.output
    assert str(db.session.query(Company).one().last_contact_on) == "2026-03-01"


def _csv_of(count: int, start: int = 0) -> bytes:
    lines = ["企业名称,统一社会信用代码,主营业务"]
    lines += [f"批量导入测试{n:05d}有限公司,{valid_code(1000 + n)},碳纤维" for n in range(start, start + count)]
    return "\n".join(lines).encode("utf-8")


def test_a_large_import_is_written_in_batches_by_a_background_run(login_as, seeded):
    officer, before = login_as("officer"), seeded.session.query(Company).count()
    rows = import_jobs.importing.BATCH * 2 + 500
    preview = _upload(officer, _csv_of(rows), "名录.csv").get_data(as_text=True)
    assert preview.count('data-fate="new"') == 500  # the page lists the first 500 new rows, and says so
    assert f'data-unlisted="{rows - 500}"' in preview
    token = _token(preview)
    report = _commit_and_wait(officer, token, seeded)
    assert seeded.session.query(Company).count() == before + rows
    meta = import_jobs.read_meta(token)
    assert (meta["state"], meta["done"], meta["total"]) == ("done", rows, rows)
    assert f"新增 {rows}" in report
    trail = seeded.session.query(AuditEntry).filter_by(action="create", object_type="companies").count()
    assert trail == rows  # each new company has its own entry, as one created on the form
    again = officer.post("/companies/import/commit", data={"token": token}, follow_redirects=True)  # a done run
    assert again.status_code == 200 and seeded.session.query(Company).count() == before + rows  # never reruns



def test_a_run_that_stopped_midway_can_be_committed_again(login_as, seeded, app):
    officer, before = login_as("officer"), seeded.session.query(Company).count()
    token = _token(_upload(officer, _csv_of(30), "名录.csv").get_data(as_text=True))
    # What a worker restarted in the middle of the run leaves behind: its first rows written and committed,
    # its lock file, and a heartbeat that stopped two minutes ago.
    from crm.companies import services

    for n in range(10):
        services.create_company({"name": f"批量导入测试{n:05d}有限公司", "credit_code": valid_code(1000 + n),
                                 "main_business": "碳纤维"}, actor=None)
    seeded.session.commit()
    meta = import_jobs.read_meta(token)
    meta.update(state="running", done=10, total=30, heartbeat=(utcnow() - timedelta(minutes=2)).isoformat())
    import_jobs.save_meta(token, meta)
    (import_jobs.folder() / f"{token}.lock").touch()
    stopped = officer.get(f"/companies/import/{token}/report").get_data(as_text=True)
    assert 'data-state="failed"' in stopped and "再次提交" in stopped
    report = _commit_and_wait(officer, token, seeded)
    assert seeded.session.query(Company).count() == before + 30  # the ten written before count as duplicates
    assert report.count('data-fate="duplicate"') == 10 and report.count('data-fate="new"') == 20
