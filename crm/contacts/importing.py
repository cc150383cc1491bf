"""Contact-log import: each row names a known company (by credit code or name); same plan as companies."""
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select

from crm.auth.models import User
from crm.companies import services as company_services
from crm.companies.importing import DUPLICATE, NEW, REFUSED, RowResult, in_batches, summary
from crm.companies.models import Company, ContactLog, LogKind
from crm.companies.names import compact_code
from crm.companies.tables import Table, cell_text, map_headers
from crm.contacts import services
from crm.core import audit
from crm.core.errors import ServiceError
from crm.extensions import db

LOG_HEADERS = {
    "name": ("企业名称", "名称", "企业", "name", "company"),
    "credit_code": ("统一社会信用代码", "信用代码", "credit_code"),
    "date": ("日期", "接洽日期", "date"),
    "kind": ("方式", "接洽方式", "类型", "kind"),
    "summary": ("内容", "洽谈内容", "接洽内容", "摘要", "summary"),
    "next_step": ("下一步", "下一步工作", "next_step"),
    "next_follow_up": ("下次跟进", "下次跟进日期", "next_follow_up"),
    "officer": ("经办人", "招商专员", "officer"),
}


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-")
    if not text:
        return None
    return date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))


def _company(cells: dict) -> Company | None:
    if cells.get("credit_code"):
        found = db.session.scalar(select(Company).where(Company.credit_code == compact_code(cells["credit_code"])))
        if found is not None:
            return found
    same = company_services.find_duplicates(cells.get("name", "")) if cells.get("name") else []
    return same[0] if same else None


def _write_logs(batch: list[RowResult], actor) -> None:
    for result in batch:
        values = dict(result.values)
        officer = _officer(values.pop("officer"))
        try:
            with db.session.begin_nested():
                services.add_log(db.session.get(Company, result.existing_id), values, actor=actor, officer=officer)
        except ServiceError as error:
            result.refuse(error.message)


def _officer(name: str) -> User | None:
    if not name:
        return None
    return db.session.scalar(select(User).where(or_(User.username == name, User.display_name == name)).limit(1))


def _parse(result: RowResult, raw: list, columns: dict) -> RowResult:
    cells = {k: cell_text(raw[i]) if i < len(raw) else "" for k, i in columns.items()}
    company = _company(cells)
    if company is None:
        return result.refuse(_("找不到企业：%(v)s", v=cells.get("name") or cells.get("credit_code") or "—"))
    try:
        day = _date(raw[columns["date"]]) if "date" in columns and columns["date"] < len(raw) else None
        follow = _date(raw[columns["next_follow_up"]]) if "next_follow_up" in columns and \
            columns["next_follow_up"] < len(raw) else None
    except ValueError:
        return result.refuse(_("日期无效（应为 YYYY-MM-DD）"))
    if day is None:
        return result.refuse(_("缺少接洽日期"))
    if cells.get("kind", "") not in {k.value for k in LogKind}:
        return result.refuse(_("接洽方式无效：%(v)s", v=cells.get("kind") or "—"))
    if not cells.get("summary"):
        return result.refuse(_("缺少洽谈内容"))
    result.existing_id, result.existing_name = company.id, company.name
    result.values = {"date": day, "kind": cells["kind"], "summary": cells["summary"],
                     "next_step": cells.get("next_step", ""), "next_follow_up": follow,
                     "officer": cells.get("officer", "")}
    return result


def plan_logs(table: Table) -> list[RowResult]:
    columns = map_headers(table.headers, LOG_HEADERS)
    if "name" not in columns and "credit_code" not in columns:
        raise ServiceError(_("表头中找不到“企业名称”或“统一社会信用代码”列。"), status=422)
    seen, results = set(), []
    for line, raw in table.rows:
        result = _parse(RowResult(line=line, name="", raw=[cell_text(c) for c in raw]), raw, columns)
        given = cell_text(raw[columns["name"]]) if "name" in columns and columns["name"] < len(raw) else ""
        result.name = result.existing_name or given
        if result.fate != REFUSED:
            key = (result.existing_id, result.values["date"], result.values["kind"], result.values["summary"])
            if key in seen or _exists(*key):
                result.fate, result.reason = DUPLICATE, _("已有相同的接洽记录")
            seen.add(key)
        results.append(result)
    return results


def _exists(company_id, day, kind, text) -> bool:
    return db.session.scalar(select(ContactLog.id).where(
        ContactLog.company_id == company_id, ContactLog.date == day, ContactLog.kind == kind,
        ContactLog.summary == text).limit(1)) is not None


def commit_logs(results: list[RowResult], *, actor, on_batch=None, progress=None) -> dict:
    """Write the new rows, each in a savepoint, in batches (importing.in_batches)."""
    in_batches([r for r in results if r.fate == NEW], lambda batch: _write_logs(batch, actor),
               on_batch=on_batch, progress=progress)
    counts = summary(results)
    audit.record("import", None, actor=actor, object_type="contact_logs",
                 summary=_("导入接洽记录：新增 %(new)s，重复 %(duplicate)s，拒绝 %(refused)s", **counts),
                 changes=counts)
    if on_batch:
        on_batch()
    return counts
