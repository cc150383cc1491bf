"""Import pages: upload → preview (every row's fate) → commit → report; refused rows download as xlsx.

The upload is kept under UPLOAD_FOLDER/imports with a random name, so the preview and the commit
read the very same bytes; its owner and kind sit beside it in a small JSON file.
"""
import json
import re
import secrets
from pathlib import Path

from flask import abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.companies import importing
from crm.companies.exporting import xlsx_response
from crm.companies.forms import ImportForm
from crm.companies.tables import TableError, read_table, sniff, workbook_bytes
from crm.contacts import importing as log_importing
from crm.core.errors import ServiceError
from crm.core.htmx import redirect_to, render
from crm.core.permissions import Role, has_role, roles_required
from crm.extensions import db

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
PLANS = {"companies": (importing.plan_companies, importing.commit_companies),
         "logs": (log_importing.plan_logs, log_importing.commit_logs)}


def _folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _load(token: str) -> tuple[dict, bytes]:
    """The stored upload and its metadata; someone else's upload looks absent."""
    if not _TOKEN.match(token):
        abort(404)
    meta_path, data_path = _folder() / f"{token}.json", _folder() / f"{token}.bin"
    if not meta_path.exists() or not data_path.exists():
        abort(404)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta["user_id"] != current_user.id and not has_role(current_user, Role.manager):
        abort(404)
    return meta, data_path.read_bytes()


def _save_meta(token: str, meta: dict) -> None:
    (_folder() / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def _plan(meta: dict, data: bytes):
    try:
        table = read_table(data)
        return table, PLANS[meta["kind"]][0](table)
    except TableError as error:
        raise ServiceError(str(error), {"file": str(error)}, status=400) from error


def _rows_json(results) -> list[dict]:
    return [{"line": r.line, "name": r.name, "fate": r.fate, "reason": r.reason, "existing_id": r.existing_id,
             "existing_name": r.existing_name, "changes": r.changes, "warnings": r.warnings, "raw": r.raw}
            for r in results]


@roles_required(Role.officer, Role.manager)
def upload():
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            sniff(data)
        except TableError as error:
            raise ServiceError(str(error), {"file": str(error)}, status=400) from error
        token = secrets.token_hex(16)
        (_folder() / f"{token}.bin").write_bytes(data)
        _save_meta(token, {"user_id": current_user.id, "kind": form.kind.data,
                           "filename": (form.file.data.filename or "")[:200]})
        return redirect_to(url_for("companies.import_preview", token=token))
    status = 422 if request.method == "POST" else 200
    return render("companies/import.html", form=form, status=status)


@roles_required(Role.officer, Role.manager)
def preview(token: str):
    meta, data = _load(token)
    _table, results = _plan(meta, data)
    meta["rows"] = _rows_json(results)
    _save_meta(token, meta)
    db.session.rollback()
    return render("companies/import_preview.html", meta=meta, rows=meta["rows"], token=token,
                  counts=importing.summary(results), committed=False)


@roles_required(Role.officer, Role.manager)
def commit():
    token = request.form.get("token", "")
    meta, data = _load(token)
    if meta.get("committed"):
        return redirect_to(url_for("companies.import_report", token=token))
    _table, results = _plan(meta, data)
    counts = PLANS[meta["kind"]][1](results, actor=current_user, on_batch=db.session.commit)
    meta.update(rows=_rows_json(results), committed=True, counts=counts)
    _save_meta(token, meta)
    return redirect_to(url_for("companies.import_report", token=token))


@roles_required(Role.officer, Role.manager)
def report(token: str):
    meta, _data = _load(token)
    if not meta.get("committed"):
        abort(404)
    return render("companies/import_preview.html", meta=meta, rows=meta["rows"], token=token,
                  counts=meta["counts"], committed=True)


@roles_required(Role.officer, Role.manager)
def refused(token: str):
    meta, data = _load(token)
    headers = read_table(data).headers
    rows = [[r["line"], r["reason"], *r["raw"]] for r in meta.get("rows", []) if r["fate"] == importing.REFUSED]
    content = workbook_bytes(_("被拒绝的行"), [_("行号"), _("拒绝原因"), *headers], rows)
    return xlsx_response(content, f"{_('被拒绝的行')}-{token[:8]}.xlsx")


# (rule, endpoint, view, methods), added to the companies blueprint by views.py
ROUTES = [
    ("/import", "import_upload", upload, ["GET", "POST"]),
    ("/import/<token>", "import_preview", preview, ["GET"]),
    ("/import/commit", "import_commit", commit, ["POST"]),
    ("/import/<token>/report", "import_report", report, ["GET"]),
    ("/import/<token>/refused.xlsx", "import_refused", refused, ["GET"]),
]
