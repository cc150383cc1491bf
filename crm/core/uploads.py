"""One upload checker for every domain: size limit, type by content (magic bytes), random stored name
under UPLOAD_FOLDER (outside static/, so nothing uploaded is ever served as a page or a script), and
workbooks opened without running formulas or macros."""
import io
import secrets
import xml.parsers.expat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from crm.core.errors import ServiceError

MAX_BYTES_DEFAULT = 20 * 1024 * 1024
SUFFIX = {"xlsx": ".xlsx", "csv": ".csv", "pdf": ".pdf", "png": ".png", "jpg": ".jpg"}


@dataclass(frozen=True)
class CheckedUpload:
    kind: str  # one of SUFFIX
    data: bytes
    original_name: str


def sniff(data: bytes) -> str | None:
    """The file's real type from its first bytes, whatever its name or declared content type says."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx" if _is_plain_workbook(data) else None
    if _is_text(data):
        return "csv"
    return None


def _is_plain_workbook(data: bytes) -> bool:
    """An Office Open XML workbook without a VBA project (xlsm and macro-carrying files are refused)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    has_macros = any(name.lower().endswith("vbaproject.bin") for name in names)
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names and not has_macros


def _is_text(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def decode_text(data: bytes) -> str:
    """CSV text: UTF-8 (with or without BOM) or, as Chinese Excel saves it, GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ServiceError(_("文件编码无法识别，请另存为 UTF-8 编码的 CSV 或 Excel (.xlsx) 文件。"),
                       {"file": _("编码无法识别")}, status=422)


def check_upload(file: FileStorage | None, allowed: set[str], *, max_bytes: int | None = None) -> CheckedUpload:
    """Read and check an upload; raises ServiceError (400/413/415) with a message the user understands."""
    if file is None or not file.filename:
        raise ServiceError(_("请选择要上传的文件。"), {"file": _("请选择文件")})
    limit = max_bytes or current_app.config.get("MAX_CONTENT_LENGTH") or MAX_BYTES_DEFAULT
    data = file.stream.read(limit + 1)
    if len(data) > limit:
        raise ServiceError(_("文件太大（上限 %(n)s MB）。", n=limit // 2**20), {"file": _("文件太大")}, status=413)
    if not data:
        raise ServiceError(_("文件是空的。"), {"file": _("文件为空")})
    kind = sniff(data)
    if kind not in allowed:
        names = "、".join(sorted(allowed))
        raise ServiceError(_("文件类型不符：只接受 %(kinds)s 文件（按内容识别，不看扩展名）。", kinds=names),
                           {"file": _("文件类型不符")}, status=415, code="unsupported_type")
    return CheckedUpload(kind=kind, data=data, original_name=file.filename[:255])


def upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]).resolve()
    static = Path(current_app.static_folder or "").resolve()
    if current_app.static_folder and folder.is_relative_to(static):
        raise RuntimeError("UPLOAD_FOLDER must not be inside static/")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(upload: CheckedUpload, subfolder: str = "") -> str:
    """Save under a random name; returns the name relative to UPLOAD_FOLDER to keep on the record."""
    folder = upload_folder() / subfolder if subfolder else upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16) + SUFFIX[upload.kind]
    (folder / name).write_bytes(upload.data)
    return f"{subfolder}/{name}" if subfolder else name


def stored_path(name: str) -> Path:
    """The file of a stored name; a name that escapes UPLOAD_FOLDER (../) is refused."""
    folder = upload_folder()
    path = (folder / name).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        raise ServiceError(_("找不到该附件。"), status=404, code="not_found")
    return path


# A workbook is a zip: a small upload can unpack to gigabytes (one cell of a billion repeated letters took a
# worker past 2 GB). Python's zipfile never unpacks past a member's declared size, so the declared sizes
# bound the whole; the parts openpyxl holds in memory whole (shared strings, styles) get a smaller bound, and
# no text (a cell) may pass Excel's own limit of 32,767 characters.
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_WHOLE_PART_BYTES = 32 * 2**20
MAX_CELL_CHARACTERS = 32_767


def workbook_problem(data: bytes) -> str | None:
    """Why this xlsx may not be opened (too big once unpacked, a cell too long), or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                return _("该 Excel 文件解压后超过 %(n)s MB，请拆分成几个文件后再上传。", n=MAX_UNPACKED_BYTES // 2**20)
            for member in members:
                if not member.filename.startswith("xl/worksheets/") and member.file_size > MAX_WHOLE_PART_BYTES:
                    return _("该 Excel 文件的 %(part)s 部分超过 %(n)s MB，无法读取。", part=member.filename[:80],
                             n=MAX_WHOLE_PART_BYTES // 2**20)
            for member in members:
                if member.filename.endswith(".xml") and (member.filename.startswith("xl/worksheets/")
                                                         or member.filename == "xl/sharedStrings.xml"):
                    with archive.open(member) as part:
                        if _longest_text(part) > MAX_CELL_CHARACTERS:
                            return _("该 Excel 文件有单元格超过 %(n)s 个字符（Excel 的上限），无法读取。",
                                     n=MAX_CELL_CHARACTERS)
    except (zipfile.BadZipFile, ValueError, xml.parsers.expat.ExpatError, EOFError):
        return _("无法读取该 Excel 文件，请确认它是 .xlsx 格式且未损坏。")
    return None


def _longest_text(stream, chunk: int = 2**20) -> int:
    """The longest run of text between two tags of an XML stream, read in chunks: the text is counted,
    never held, and the scan stops as soon as a run passes the cell limit."""
    parser = xml.parsers.expat.ParserCreate()
    run = longest = 0

    def tag(*_args) -> None:
        nonlocal run
        run = 0

    def text(data: str) -> None:
        nonlocal run, longest
        run += len(data)
        longest = max(longest, run)

    parser.StartElementHandler = parser.EndElementHandler = tag
    parser.CharacterDataHandler = text
    while block := stream.read(chunk):
        parser.Parse(block, False)
        if longest > MAX_CELL_CHARACTERS:
            return longest
    parser.Parse(b"", True)
    return longest


def open_workbook(data: bytes):
    """Cell values only: read_only streams big sheets, data_only reads cached results, never formulas."""
    from openpyxl import load_workbook

    if problem := workbook_problem(data):
        raise ServiceError(problem, {"file": problem}, status=413)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_vba=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many types on damaged files; all mean "not a workbook"
        raise ServiceError(_("无法读取该 Excel 文件，请确认它是 .xlsx 格式且未损坏。"), {"file": _("文件已损坏")},
                           status=422) from exc
