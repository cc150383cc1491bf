"""A policy file's text, whatever it came as: plain text (UTF-8 or GB18030), .docx, or a PDF with a text layer;
and what the text itself says of its title, issuer and date."""
import re
from datetime import date
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024  # a policy document is a few hundred kB; anything far larger is not one


class UnreadableFile(ValueError):
    pass


def _plain(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("文本既不是 UTF-8 也不是 GB18030 编码")


def _docx(path: Path) -> str:
    from docx import Document  # imported here: only the importer needs it

    document = Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def _pdf(path: Path) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    if not text.strip():
        raise UnreadableFile("PDF 没有文字层（扫描件需先识别文字）")
    return text


def read_text(path: Path) -> str:
    if not path.is_file():
        raise UnreadableFile(f"找不到文件：{path}")
    if path.stat().st_size > MAX_BYTES:
        raise UnreadableFile("文件过大")
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            return _docx(path)
        if suffix == ".pdf":
            return _pdf(path)
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged file of either kind: say so rather than fail
        raise UnreadableFile(f"无法读取 {suffix} 文件：{exc}") from exc
    return _plain(path.read_bytes())


_TITLE = re.compile(r"^\s*(\S{2,40}?(?:人民政府|委员会|管委会|厅|局)(?:办公厅)?)关于[^\n。]{4,120}?"
                    r"(?:的通知|的意见|的实施意见|的决定|的规定|的办法)")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,6}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号")


def stated_title(text: str) -> tuple[str, str]:
    """(title, issuer) when the text opens with "…人民政府关于…的通知"; empty strings otherwise."""
    match = _TITLE.match(text)
    return (match.group(0).strip(), match.group(1)) if match else ("", "")


def stated_date(text: str) -> date | None:
    """The last full date the text writes (a signature date stands at the end of the 通知), if any."""
    for year, month, day in reversed(_DATE.findall(text)):
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            continue
    return None


def stated_number(text: str) -> str:
    """The document's own 文号: one standing on a line of its own among the first lines (the others are
    documents it cites, in brackets within a sentence)."""
    for line in text.splitlines()[:10]:
        if _NUMBER.fullmatch(line.strip()):
            return line.strip()
    return ""
