"""Funds arrived per project and month: report, correct by superseding (never overwrite), attachments."""
import re
import secrets
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from flask_babel import gettext as _

from crm.core import audit
from crm.core.errors import ServiceError
from crm.core.formatting import local_today, parse_money
from crm.core.params import EARLIEST, LATEST
from crm.core.permissions import Role, has_role
from crm.extensions import db
from crm.projects.models import FUNDS_EVIDENCE, FUNDS_SOURCES, FUNDS_USES, FundsEntry, Project, ReviewStatus
from crm.projects.services import needs_review
from crm.projects.stages import SIGNED_OR_LATER

MAX_ATTACHMENT = 10 * 1024 * 1024
MAGIC = {b"%PDF-": ".pdf", b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png"}


def can_report_funds(user) -> bool:
    return has_role(user, Role.manager, Role.officer, Role.park_staff)


# A month as people write it: 2026-11, 2026/11, 2026.11, 2026年11月 (a day after it, as in a date, is ignored).
_MONTH = re.compile(r"^\s*(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月)?\s*(?:(?:[-/.]\s*\d{1,2}|\d{1,2}\s*日)\s*)?$")


def parse_period(value) -> date:
    """'2026-03', '2026/3', '2026年3月' (or a date) to the first day of that month."""
    if isinstance(value, date):
        return value.replace(day=1)
    found = _MONTH.match(unicodedata.normalize("NFKC", str(value or "")))
    if found and 1 <= int(found[2]) <= 12 and EARLIEST.year <= int(found[1]) <= LATEST.year:
        return date(int(found[1]), int(found[2]), 1)
    raise ServiceError(_("月份格式应为 YYYY-MM。"), {"period": _("请按 2026-11 或 2026年11月 填写月份")}, status=422)


def parse_amount(value) -> Decimal:
    """A positive amount in 万元, written in digits (full-width digits too); raises ServiceError saying how."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    try:
        amount = parse_money(text)
    except ValueError:
        amount = None
        if text and not re.search(r"\d", text):
            raise ServiceError(_("金额请用阿拉伯数字填写。"),
                               {"amount": _("请用阿拉伯数字填写金额（万元），例如 500 或 500.5")}, status=422) from None
    if amount is None or amount <= 0:
        raise ServiceError(_("金额应为正数。"), {"amount": _("应为正数（万元），例如 500 或 500.5")}, status=422)
    return amount


def _field_error(parse, value, errors: dict):
    try:
        return parse(value)
    except ServiceError as error:
        errors.update(error.fields)
        return None


def _clean(values: dict, today: date) -> dict:
    errors = {}
    period = _field_error(parse_period, values.get("period"), errors)
    if period and period > today:
        errors["period"] = _("不能晚于本月")
    amount = _field_error(parse_amount, values.get("amount"), errors)
    source, use = values.get("source") or FUNDS_SOURCES[0], values.get("use") or "fixed_assets"
    evidence = values.get("evidence") or ""
    if source not in FUNDS_SOURCES:
        errors["source"] = _("来源应为：%(s)s", s="、".join(FUNDS_SOURCES))
    if use not in FUNDS_USES:
        errors["use"] = _("用途无效")
    if evidence and evidence not in FUNDS_EVIDENCE:
        errors["evidence"] = _("凭证类型无效")
    if errors:
        raise ServiceError(_("请更正标出的字段。"), errors, status=422)
    return {"period": period, "amount": amount, "source": source, "use": use, "evidence": evidence,
            "note": str(values.get("note") or "").strip()[:2000]}


def report_funds(project: Project, *, actor, values: dict, attachment: str = "", now: datetime) -> FundsEntry:
    if not can_report_funds(actor):
        raise ServiceError(_("您没有权限填报到位资金。"), status=403, code="forbidden")
    if project.stage not in SIGNED_OR_LATER:
        raise ServiceError(_("项目签约后才能填报到位资金。"), status=422)
    entry = FundsEntry(project_id=project.id, entered_by_id=actor.id, created_at=now, attachment=attachment,
                       **_clean(values, local_today(now)))
    entry.review_status = ReviewStatus.pending if needs_review(actor) else ReviewStatus.approved
    db.session.add(entry)
    db.session.flush()
    audit.record("funds.create", entry, actor=actor, summary=f"{project.name} {entry.period:%Y-%m} {entry.amount}",
                 changes={"amount": [None, str(entry.amount)], "project_id": [None, project.id]})
    return entry


def correct_funds(old: FundsEntry, *, actor, values: dict, attachment: str = "", now: datetime) -> FundsEntry:
    """A correction is a new entry; the old one stays, marked as superseded by it."""
    if old.superseded_by_id is not None:
        raise ServiceError(_("该记录已被更正过，请更正最新的记录。"), status=409, code="stale")
    merged = {"period": old.period, "amount": old.amount, "source": old.source, "use": old.use,
              "evidence": old.evidence, "note": old.note, **{k: v for k, v in values.items() if v not in (None, "")}}
    new = report_funds(old.project, actor=actor, values=merged, attachment=attachment or old.attachment, now=now)
    old.superseded_by_id = new.id
    audit.record("funds.correct", old, actor=actor, summary=_("更正为 %(a)s 万元", a=new.amount),
                 changes={"amount": [str(old.amount), str(new.amount)], "superseded_by_id": [None, new.id]})
    return new


def store_attachment(storage, folder: str) -> str:
    """Save an uploaded pdf/jpg/png under a random name; the type is judged by its first bytes."""
    if storage is None or not getattr(storage, "filename", ""):
        return ""
    data = storage.read(MAX_ATTACHMENT + 1)
    if len(data) > MAX_ATTACHMENT:
        raise ServiceError(_("附件不能超过 10 MB。"), {"attachment": _("文件太大")}, status=413)
    suffix = next((ext for magic, ext in MAGIC.items() if data.startswith(magic)), None)
    if suffix is None:
        raise ServiceError(_("附件只能是 PDF、JPG 或 PNG 文件。"), {"attachment": _("文件类型不允许")}, status=422)
    name = secrets.token_hex(16) + suffix
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / name).write_bytes(data)
    return name
