"""`crm policy import`: plain text, .docx and PDF text, a preview, saving only when confirmed."""
from docx import Document

from crm.policies.models import PolicyDocument

TEXT = ("西宁市人民政府办公厅关于印发南川工业园区用地管理办法的通知\n一、总则\n"
        "（一）目的。为提高工业用地集约水平，制定本办法。\n"
        "（二）奖励。投资强度超过500万元/亩的项目给予一次性奖励。\n二、附则\n本办法自印发之日起施行。\n西宁市人民政府办公厅\n2024年3月15日\n")


def _count(db):
    return db.session.query(PolicyDocument).count()


def test_a_text_file_is_previewed_and_saved_on_confirmation(runner, db, tmp_path):
    path = tmp_path / "nanchuan-land.txt"
    path.write_text(TEXT, encoding="gb18030")
    refused = runner.invoke(args=["crm", "policy", "import", str(path), "--park", "NANCHUAN"], input="n\n")
    assert "条款：5" in refused.output and "一、（二） 奖励　[用地、资金奖补]" in refused.output
    assert "发文机关：西宁市人民政府办公厅" in refused.output and "发文日期：2024-03-15" in refused.output
    assert "未保存" in refused.output and _count(db) == 0
    saved = runner.invoke(args=["crm", "policy", "import", str(path), "--park", "NANCHUAN",
                                "--number", "宁政办〔2024〕9号"], input="y\n")
    assert saved.exit_code == 0 and "已保存" in saved.output
    document = db.session.query(PolicyDocument).one()
    assert document.title.endswith("用地管理办法的通知") and document.number == "宁政办〔2024〕9号"
    assert document.parks == ["NANCHUAN"] and document.year == 2024
    assert [c.path for c in document.clauses] == ["", "一、", "一、（一）", "一、（二）", "二、"]


def test_a_docx_is_read_by_its_paragraphs_and_options_win_over_the_text(runner, db, tmp_path):
    path = tmp_path / "land.docx"
    word = Document()
    for line in TEXT.splitlines():
        word.add_paragraph(line)
    word.save(str(path))
    result = runner.invoke(args=["crm", "policy", "import", str(path), "--issuer", "西宁市人民政府", "--date",
                                 "2024-04-01", "--key", "XN-2024-LAND", "--yes"])
    assert result.exit_code == 0, result.output
    document = db.session.query(PolicyDocument).one()
    assert (document.key, document.issuer, str(document.issued_on)) == ("XN-2024-LAND", "西宁市人民政府", "2024-04-01")
    assert len(document.clauses) == 5


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer in a standard font (enough for the importer's reading)."""
    stream = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               "/Resources << /Font << /F1 5 0 R >> >> >>",
               f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_a_pdf_with_a_text_layer_is_split_too(runner, db, tmp_path):
    path = tmp_path / "rules.pdf"
    path.write_bytes(_pdf(["Park land rules", "1. Land is supplied by plot.", "2. Intensity above 500 is rewarded."]))
    result = runner.invoke(args=["crm", "policy", "import", str(path), "--title", "Park land rules", "--yes"])
    assert result.exit_code == 0, result.output
    assert [c.path for c in db.session.query(PolicyDocument).one().clauses] == ["", "1.", "2."]


def test_an_unreadable_or_missing_file_is_refused_with_a_message(runner, db, tmp_path):
    missing = runner.invoke(args=["crm", "policy", "import", str(tmp_path / "none.txt")])
    assert missing.exit_code != 0 and "找不到文件" in missing.output
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    result = runner.invoke(args=["crm", "policy", "import", str(broken), "--yes"])
    assert result.exit_code != 0 and "无法读取 .docx 文件" in result.output and _count(db) == 0
