"""xlsx exports of filtered lists, with Chinese headers; every export is recorded in the audit trail."""
from urllib.parse import quote

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import Select

from crm.companies.tables import workbook_bytes
from crm.core import audit
from crm.core.db import utcnow
from crm.core.formatting import local_datetime
from crm.extensions import db

EXPORT_CAP = 100_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> Response:
    response = Response(content, mimetype=XLSX)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _company_row(c) -> list:
    return [c.name, c.credit_code or "", c.ownership, "；".join(f"{t.tier} {t.year or ''}".strip() for t in c.tiers),
            c.industry.name if c.industry else "", c.main_business, c.hq_province, c.hq_city, c.registered_capital,
            c.revenue, c.listed_exchange, c.listed_code, c.website, c.source, c.officer.name if c.officer else "",
            "、".join(c.former_names or []), c.last_contact_on, c.notes]


def company_headers() -> list[str]:
    return [_("企业名称"), _("统一社会信用代码"), _("企业性质"), _("榜单"), _("所属行业"), _("主营业务"),
            _("总部省份"), _("总部城市"), _("注册资本(万元)"), _("营业收入(万元)"), _("上市交易所"), _("股票代码"),
            _("网址"), _("来源"), _("责任招商专员"), _("曾用名"), _("最近接洽日期"), _("备注")]


def companies_xlsx(query: Select, filters: dict, *, actor) -> Response:
    rows = db.session.execute(query.limit(EXPORT_CAP).execution_options(yield_per=1000)).scalars()
    data = [_company_row(c) for c in rows]
    audit.record("export", None, actor=actor, object_type="companies",
                 summary=_("导出目标企业 %(n)s 家", n=len(data)), changes={"filters": filters, "rows": len(data)})
    stamp = local_datetime(utcnow(), "%Y%m%d-%H%M")
    return xlsx_response(workbook_bytes(_("目标企业"), company_headers(), data), f"目标企业-{stamp}.xlsx")


def log_headers() -> list[str]:
    return [_("日期"), _("企业名称"), _("方式"), _("招商专员"), _("接洽人员"), _("洽谈内容"), _("下一步"),
            _("下次跟进日期"), _("外出招商")]


def log_row(log) -> list:
    return [log.date, log.company.name, log.kind, log.officer.name if log.officer else "",
            "、".join(c.name for c in log.contacts), log.summary, log.next_step, log.next_follow_up,
            log.trip.title if log.trip else ""]


def logs_xlsx(query: Select, filters: dict, *, actor, title: str | None = None) -> Response:
    rows = db.session.execute(query.limit(EXPORT_CAP)).scalars().all()
    data = [log_row(x) for x in rows]
    audit.record("export", None, actor=actor, object_type="contact_logs",
                 summary=_("导出接洽记录 %(n)s 条", n=len(data)), changes={"filters": filters, "rows": len(data)})
    title = title or _("接洽记录")
    return xlsx_response(workbook_bytes(title, log_headers(), data),
                         f"{title}-{local_datetime(utcnow(), '%Y%m%d-%H%M')}.xlsx")
