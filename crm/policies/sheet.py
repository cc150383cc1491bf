"""The one-page Word sheet an officer hands a company: the clauses that apply to its project, each with its
condition and result, and the clause's words (python-docx)."""
import io
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "SimSun"  # 宋体: the font Chinese government sheets use; Word substitutes where it is missing
QUOTE_MAX = 90  # characters of the clause quoted on the sheet (one page holds about a dozen entries)


def _font(run, size: float, bold: bool = False) -> None:
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _paragraph(doc, text: str, size: float, bold: bool = False, space: float = 2):
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(space)
    _font(paragraph.add_run(text), size, bold)
    return paragraph


def _quote(item) -> str:
    term_quote = next((t.get("quote") for t in item.clause.terms or [] if t.get("quote")), "")
    text = term_quote or item.clause.text
    return text if len(text) <= QUOTE_MAX else text[:QUOTE_MAX] + "…"


def project_sheet(project, items, today: date) -> bytes:
    """A4, one page: in-force clauses whose condition is met first, then those to check; expired ones left out."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    _paragraph(doc, "项目适用政策清单", 16, bold=True, space=4)
    _paragraph(doc, f"项目：{project.name}　企业：{project.company.name}　园区：{project.park.name}", 10.5)
    _paragraph(doc, f"编制日期：{today.isoformat()}　（依据政策库现行文件；条件按项目登记数据判断）", 9)
    in_force = [i for i in items if not i.expired]
    for heading, group in (("满足条件的条款", [i for i in in_force if i.outcome.met]),
                           ("需补充数据或尚未满足的条款", [i for i in in_force if not i.outcome.met])):
        if not group:
            continue
        _paragraph(doc, heading, 11.5, bold=True, space=3)
        for index, item in enumerate(group, 1):
            _paragraph(doc, f"{index}. {item.sentence}", 10, space=0)
            _paragraph(doc, f"　　原文：{_quote(item)}", 9, space=3)
    if not in_force:
        _paragraph(doc, "政策库中暂无可对照的现行条款。", 10)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
