"""Signing-day bulk entry: pasted rows → a preview of each row's fate → companies and signed projects.

Columns (tab-separated, as copied from Excel): company name, credit code (optional), project name,
park code or name, agreed investment (万元), signing date, industry (optional). A row with errors is
shown and skipped; the others are written together in the caller's one transaction.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.companies import services as company_services
from crm.companies.models import Company
from crm.companies.names import compact_code, credit_code_problem, normalise_name
from crm.core import audit
from crm.core.errors import ServiceError
from crm.core.formatting import parse_money
from crm.core.permissions import Role, has_role
from crm.events.models import Event
from crm.extensions import db
from crm.parks.models import Industry, Park
from crm.projects.models import Project, ReviewStatus, StageChange
from crm.projects.stages import Stage

MAX_ROWS = 1000
HEADER_WORDS = ("企业名称", "企业", "公司名称")


@dataclass
class Row:
    number: int
    company_name: str = ""
    credit_code: str | None = None
    project_name: str = ""
    park_text: str = ""
    amount: Decimal | None = None
    signed_date: date | None = None
    industry_text: str = ""
    park_id: int | None = None
    industry_id: int | None = None
    company_id: int | None = None  # an existing company
    same_as: int | None = None  # a new company first named on an earlier row
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def keys(self) -> list[str]:
        return [k for k in (self.credit_code, normalise_name(self.company_name)) if k]


def parse(text: str) -> list[Row]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        cells = [c.strip() for c in line.split("\t")]
        if not any(cells) or (number == 1 and cells[0] in HEADER_WORDS):
            continue
        cells += [""] * (7 - len(cells))
        rows.append(_parse_cells(number, cells))
    if len(rows) > MAX_ROWS:
        raise ServiceError(_("一次最多录入 %(n)s 行。", n=MAX_ROWS), status=422)
    return rows


def _parse_cells(number: int, cells: list[str]) -> Row:
    row = Row(number, company_name=cells[0], credit_code=compact_code(cells[1]) or None, project_name=cells[2],
              park_text=cells[3], industry_text=cells[6])
    if not row.company_name:
        row.errors.append(_("缺少企业名称"))
    if not row.project_name:
        row.errors.append(_("缺少项目名称"))
    if row.credit_code and credit_code_problem(row.credit_code):
        row.errors.append(_("统一社会信用代码无效：%(c)s", c=cells[1]))
    try:
        row.amount = parse_money(cells[4])
    except ValueError:
        row.amount = None
    if row.amount is None or row.amount <= 0:
        row.errors.append(_("协议投资额无效：%(v)s", v=cells[4] or "—"))
    try:
        row.signed_date = date.fromisoformat(cells[5].replace("/", "-").replace(".", "-"))
    except ValueError:
        row.errors.append(_("签约日期无效：%(v)s", v=cells[5] or "—"))
    return row


RECORD_KEYS = ("company_name", "credit_code", "project_name", "park", "agreed_investment", "signed_date", "industry")


def plan_records(records: list[dict], event: Event, today: date) -> list[Row]:
    """Rows given as JSON objects (the API), checked as pasted rows are; `name` is accepted for project_name
    and `company_id` names an existing company instead of company_name."""
    if len(records) > MAX_ROWS:
        raise ServiceError(_("一次最多录入 %(n)s 行。", n=MAX_ROWS), status=422)
    rows, chosen = [], {}
    for number, record in enumerate(records, start=1):
        record = {**record, "project_name": record.get("project_name") or record.get("name") or ""}
        if not record.get("signed_date") and event.start_date:  # signed at the fair unless told otherwise
            record["signed_date"] = event.start_date.isoformat()
        company = _given_company(record)
        if company is not None:
            record["company_name"], chosen[number] = company.name, company.id
        rows.append(_parse_cells(number, [str(record.get(k) or "").strip() for k in RECORD_KEYS]))
        if record.get("company_id") not in (None, "") and company is None:
            rows[-1].errors.append(_("企业不存在：%(c)s", c=record["company_id"]))
    plan(rows, event, today)
    for row in rows:
        if row.number in chosen and not row.errors:
            row.company_id, row.same_as = chosen[row.number], None
            if _project_exists(row, event):
                row.errors.append(_("该企业在本活动已有同名项目，不重复创建"))
    return rows


def _given_company(record: dict) -> Company | None:
    company_id = record.get("company_id")
    if not isinstance(company_id, int) or isinstance(company_id, bool):
        return None
    company = db.session.get(Company, company_id)
    while company is not None and company.merged_into_id:
        company = db.session.get(Company, company.merged_into_id)
    return company


def plan(rows: list[Row], event: Event, today: date) -> list[Row]:
    """Decide each row's fate without writing: which park, which company (existing, new, same as row N)."""
    parks = {p.code.upper(): p.id for p in db.session.scalars(select(Park))}
    parks.update({p.name: p.id for p in db.session.scalars(select(Park))})
    industries = {i.name: i.id for i in db.session.scalars(select(Industry))}
    first_new: dict[str, int] = {}
    for row in rows:
        row.park_id = parks.get(row.park_text.upper()) or parks.get(row.park_text)
        if row.park_id is None:
            row.errors.append(_("园区不存在：%(p)s", p=row.park_text or "—"))
        if row.signed_date and row.signed_date > today:
            row.errors.append(_("签约日期不能晚于今天"))
        if row.industry_text:
            row.industry_id = industries.get(row.industry_text)
            if row.industry_id is None:
                row.notes.append(_("未识别的产业“%(i)s”，项目不设产业", i=row.industry_text))
        if row.company_name:
            _match_company(row, first_new)
        if row.ok and row.company_id and _project_exists(row, event):
            row.errors.append(_("该企业在本活动已有同名项目，不重复创建"))
    return rows


def _match_company(row: Row, first_new: dict[str, int]) -> None:
    existing = None
    if row.credit_code:
        existing = db.session.scalar(select(Company).where(Company.credit_code == row.credit_code))
    if existing is None:
        same = company_services.find_duplicates(row.company_name)
        existing = same[0] if same else None
        if existing and row.credit_code and existing.credit_code and existing.credit_code != row.credit_code:
            row.errors.append(_("名称与已有企业“%(n)s”相同，但信用代码不同，请核对", n=existing.name))
            return
    while existing is not None and existing.merged_into_id:
        existing = db.session.get(Company, existing.merged_into_id)
    if existing is not None:
        row.company_id = existing.id
        return
    earlier = next((first_new[k] for k in row.keys if k in first_new), None)
    if earlier is not None:
        row.same_as = earlier
    elif row.ok:
        first_new.update({key: row.number for key in row.keys})


def _project_exists(row: Row, event: Event) -> bool:
    return db.session.scalar(select(func.count()).select_from(Project).where(
        Project.company_id == row.company_id, Project.event_id == event.id,
        Project.name == row.project_name)) > 0


def apply(rows: list[Row], event: Event, *, actor, now: datetime) -> list[Project]:
    """Write the good rows: companies once each, projects in 签约 with their stage change recorded."""
    if not has_role(actor, Role.manager, Role.officer):
        raise ServiceError(_("只有领导和招商专员可以录入签约项目。"), status=403, code="forbidden")
    created: dict[str, int] = {}  # credit code or normalised name of a company made here → its id
    projects = []
    for row in rows:
        if not row.ok:
            continue
        company_id = row.company_id or next((created[k] for k in row.keys if k in created), None)
        if company_id is None:
            company = company_services.create_company(
                {"name": row.company_name, "credit_code": row.credit_code, "source": event.name[:80]},
                actor=actor, confirm_distinct=True)
            company_id = company.id
            created.update({key: company.id for key in row.keys})
        projects.append(_signed_project(row, company_id, event, actor, now))
    audit.record("event.bulk_signing", event, actor=actor, summary=_("录入签约项目 %(n)s 个", n=len(projects)),
                 changes={"projects": [p.id for p in projects]})
    return projects


def _signed_project(row: Row, company_id: int, event: Event, actor, now: datetime) -> Project:
    project = Project(name=row.project_name, company_id=company_id, park_id=row.park_id, industry_id=row.industry_id,
                      agreed_investment=row.amount, signed_date=row.signed_date, event_id=event.id, source="fair",
                      stage=Stage.signed, counted_stage=Stage.signed, created_by_id=actor.id, updated_by_id=actor.id,
                      officer_id=actor.id if actor.role == Role.officer else None, created_at=now, updated_at=now)
    db.session.add(project)
    db.session.flush()
    facts = {"signed_date": row.signed_date.isoformat(), "agreed_investment": str(row.amount), "event_id": event.id}
    db.session.add(StageChange(project_id=project.id, from_stage=Stage.lead, to_stage=Stage.signed, actor_id=actor.id,
                               fact_date=row.signed_date, facts={**facts, "previous": {}}, at=now,
                               comment=_("展会集中签约录入"), review_status=ReviewStatus.approved))
    audit.record("project.create", project, actor=actor, summary=project.name, changes={"stage": [None, "signed"]})
    return project
