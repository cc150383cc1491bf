"""Read an uploaded table (xlsx, or CSV in UTF-8/GBK) into headers and rows; write xlsx safely."""
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from crm.companies.names import basic_norm
from crm.core.uploads import workbook_problem

XLSX_MAGIC = b"PK\x03\x04"
FORMULA_STARTS = ("=", "+", "-", "@")


class TableError(ValueError):
    """The file is not a table we can read; the message is shown to the user."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)  # (line number as the user sees it, cells)


def sniff(data: bytes) -> str:
    """"xlsx" or "csv" from the content itself, never from the file name."""
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if b"\x00" in data[:4096]:
        raise TableError("文件既不是 xlsx 也不是文本 CSV。")
    return "csv"


def decode_csv(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise TableError("CSV 文件编码无法识别（应为 UTF-8 或 GBK）。") from exc


def read_table(data: bytes) -> Table:
    rows = _xlsx_rows(data) if sniff(data) == "xlsx" else _csv_rows(data)
    table = None
    for line, cells in rows:
        cells = ["" if c is None else c for c in cells]
        if not any(str(c).strip() for c in cells):
            continue
        if table is None:
            table = Table(headers=[str(c).strip() for c in cells])
        else:
            table.rows.append((line, cells))
    if table is None:
        raise TableError("文件是空的：第一行应为表头。")
    return table


def _xlsx_rows(data: bytes):
    if problem := workbook_problem(data):
        raise TableError(problem)
    try:
        # data_only: formulas are never evaluated, only the values Excel cached are read
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a corrupt zip or a zip that is not a workbook
        raise TableError("无法读取该 xlsx 文件，请确认文件未损坏。") from exc
    try:
        for line, cells in enumerate(book.active.iter_rows(values_only=True), start=1):
            yield line, list(cells)
    finally:
        book.close()


def _csv_rows(data: bytes):
    text = decode_csv(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from enumerate(csv.reader(io.StringIO(text), dialect), start=1)


def map_headers(headers: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """{field: column index} for the headers that name a known field (Chinese or English)."""
    wanted = {basic_norm(a): key for key, names in aliases.items() for a in names}
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = wanted.get(basic_norm(header))
        if key and key not in mapping:
            mapping[key] = index
    return mapping


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def safe_cell(sheet, value):
    """A cell Excel shows as text when it starts like a formula (=, +, -, @): never run as one."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        value = value.isoformat()
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def workbook_bytes(title: str, headers: list[str], rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet")
    sheet.append([safe_cell(sheet, h) for h in headers])
    for row in rows:
        sheet.append([safe_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
