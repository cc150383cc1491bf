"""Workbook layout shared by the ledger and the summary: title row, unit line, header, rows, totals, date."""
from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MONEY_FORMAT = "#,##0.00"
FORMULA_STARTS = ("=", "+", "-", "@")


def _put(ws, row: int, column: int, value):
    """Write one cell; text that a spreadsheet would run as a formula is forced to stay text."""
    if isinstance(value, Decimal):
        value = float(value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    if isinstance(value, float):
        cell.number_format = MONEY_FORMAT
    cell.border = BOX
    return cell


def sheet(wb: Workbook, name: str, title: str, note: str, headers: list[str], widths: list[int],
          rows: list[list], totals: list, made_on: date):
    """One table laid out the way offices send it upward; returns the worksheet."""
    ws = wb.create_sheet(name)
    width = len(headers)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=1, column=1, value=title).font = Font(size=14, bold=True)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.cell(row=2, column=1, value=note)
    for col, (header, w) in enumerate(zip(headers, widths, strict=True), start=1):
        _put(ws, 3, col, header).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = w
    for r, values in enumerate(rows, start=4):
        for col, value in enumerate(values, start=1):
            _put(ws, r, col, value)
    end = 4 + len(rows)
    for col, value in enumerate(totals, start=1):
        _put(ws, end, col, value).font = Font(bold=True)
    ws.cell(row=end + 2, column=1, value=f"制表日期：{made_on.isoformat()}")
    ws.freeze_panes = "A4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    return ws


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def to_bytes(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
