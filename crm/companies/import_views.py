"""Import pages: upload → preview (every row's fate) → commit (a background job) → report; refused rows
download as xlsx. Storage and the job are in import_jobs."""
import re
import secrets

from flask import Response, abort, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from crm.companies import import_jobs, importing
from crm.companies.exporting import xlsx_response
from crm.companies.forms import ImportForm
from crm.companies.tables import TableError, read_table, sniff, workbook_bytes
from crm.core.errors import ServiceError
from crm.core.htmx import is_htmx, redirect_to, render
from crm.core.permissions import Role, has_role, roles_required
from crm.core.uploads import workbook_problem
from crm.extensions import db

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
PREVIEW_NEW_ROWS = 500  # new rows listed one by one; every other fate is always listed in full


def _load(token: str) -> dict:
    """The stored upload's metadata; someone else's upload looks absent."""
    if not _TOKEN.match(token):
        abort(404)
    meta = import_jobs.read_meta(token)
    if meta is None or not import_jobs.upload_path(token).exists():
        abort(404)
    if meta["user_id"] != current_user.id and not has_role(current_user, Role.manager):
        abort(404)
    return meta


def _listed(rows: list[dict]) -> tuple[list[dict], int]:
    """The rows a page lists, and how many new rows it leaves out: a sheet of 10,000 new companies shows the
    first PREVIEW_NEW_ROWS of them, and every update, duplicate and refused row."""
    listed, new = [], 0
    for row in rows:
        if row["fate"] == importing.NEW:
            new += 1
            if new > PREVIEW_NEW_ROWS:
                continue
        listed.append(row)
    return listed, max(0, new - PREVIEW_NEW_ROWS)


@roles_required(Role.officer, Role.manager)
def upload():
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            if sniff(data) == "xlsx" and (problem := workbook_problem(data)):
                raise TableError(problem)
        except TableError as error:
            raise ServiceError(str(error), {"file": str(error)}, status=400) from error
        token = secrets.token_hex(16)
        import_jobs.upload_path(token).write_bytes(data)
        import_jobs.save_meta(token, {"user_id": current_user.id, "kind": form.kind.data,
                                      "filename": (form.file.data.filename or "")[:200]})
        return redirect_to(url_for("companies.import_preview", token=token))
    status = 422 if request.method == "POST" else 200
    return render("companies/import.html", form=form, status=status)


@roles_required(Role.officer, Role.manager)
def preview(token: str):
    meta = _load(token)
    if import_jobs.state(meta) != import_jobs.PLANNED:
        return redirect_to(url_for("companies.import_report", token=token))
    results = import_jobs.plan(meta["kind"], import_jobs.upload_path(token).read_bytes())
    db.session.rollback()
    meta["rows"] = import_jobs.rows_json(results)
    import_jobs.save_meta(token, meta)
    rows, unlisted = _listed(meta["rows"])
    return render("companies/import_preview.html", meta=meta, rows=rows, unlisted=unlisted, token=token,
                  counts=importing.summary(results), state=import_jobs.PLANNED,
                  field_labels=importing.FIELD_LABELS)


@roles_required(Role.officer, Role.manager)
def commit():
    token = request.form.get("token", "")
    meta = _load(token)
    import_jobs.start(token, meta, user_id=current_user.id, locale=str(get_locale()))
    return redirect_to(url_for("companies.import_report", token=token))


@roles_required(Role.officer, Role.manager)
def report(token: str):
    meta = _load(token)
    state = import_jobs.state(meta)
    if state == import_jobs.PLANNED:
        return redirect_to(url_for("companies.import_preview", token=token))
    if state != import_jobs.RUNNING and is_htmx():  # the progress poll: the run ended, show the whole report
        return Response(status=204, headers={"HX-Refresh": "true"})
    rows, unlisted = _listed(meta.get("rows", []) if state == import_jobs.DONE else [])
    return render("companies/import_preview.html", "companies/_import_progress.html", meta=meta, rows=rows,
                  unlisted=unlisted, token=token, counts=meta.get("counts") or {}, state=state,
                  field_labels=importing.FIELD_LABELS)


@roles_required(Role.officer, Role.manager)
def refused(token: str):
    meta = _load(token)
    headers = read_table(import_jobs.upload_path(token).read_bytes()).headers
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
