"""Company import: every row gets a fate (new, update, duplicate, refused) before anything is written.

The preview and the commit run the same plan, so what the preview promised is what the commit does;
refused rows write nothing, and a second import of the same file finds only duplicates.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.companies import services
from crm.companies.identity import Holders, name_norms
from crm.companies.models import Company, Ownership
from crm.companies.names import compact_code, credit_code_problem, normalise_name
from crm.companies.tables import Table, cell_text, map_headers
from crm.core import audit
from crm.core.errors import ServiceError
from crm.core.formatting import parse_money
from crm.extensions import db
from crm.parks.models import Industry

COMPANY_HEADERS = {
    "name": ("企业名称", "名称", "公司名称", "企业", "name", "company"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码", "credit_code", "uscc"),
    "former_names": ("曾用名", "former_names"),
    "aliases": ("简称", "企业简称", "aliases"),
    "industry": ("所属行业", "行业", "industry"),
    "main_business": ("主营业务", "主营", "main_business"),
    "ownership": ("企业性质", "所有制", "ownership"),
    "hq_province": ("总部省份", "省份", "hq_province", "province"),
    "hq_city": ("总部城市", "城市", "hq_city", "city"),
    "registered_capital": ("注册资本(万元)", "注册资本", "registered_capital"),
    "revenue": ("营业收入(万元)", "营业收入", "revenue"),
    "website": ("网址", "官网", "website"),
    "source": ("来源", "source"),
    "listed_exchange": ("上市交易所", "交易所", "listed_exchange"),
    "listed_code": ("股票代码", "证券代码", "listed_code"),
    "tiers": ("榜单", "tiers"),
    "notes": ("备注", "notes"),
}
# What the preview calls each field: the file's own column header, as the user wrote it.
FIELD_LABELS = {key: names[0] for key, names in COMPANY_HEADERS.items()} | {"industry_id": "所属行业",
                                                                           "industry_text": "所属行业"}
OWNERSHIP_ALIASES = {"民营": "民企", "民营企业": "民企", "中央企业": "央企", "国企": "地方国企", "外企": "外资",
                     "外资企业": "外资"}
TEXT = ("main_business", "hq_province", "hq_city", "website", "source", "listed_exchange", "listed_code", "notes")
NEW, UPDATE, DUPLICATE, REFUSED = "new", "update", "duplicate", "refused"
BATCH = 1000  # rows looked up together while planning, and written (then committed) together


@dataclass
class RowResult:
    line: int
    name: str
    fate: str = NEW
    reason: str = ""
    existing_id: int | None = None
    existing_name: str = ""
    values: dict = field(default_factory=dict)
    tiers: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    raw: list = field(default_factory=list)

    def refuse(self, reason: str) -> "RowResult":
        self.fate, self.reason = REFUSED, reason
        return self


def _industries() -> dict[str, int]:
    names: dict[str, int] = {}
    for row in db.session.scalars(select(Industry).order_by(Industry.province != "QH", Industry.id)):
        for key in (row.name, row.code, row.name.removesuffix("产业"), row.name.removesuffix("工业")):
            names.setdefault(key, row.id)
    return names


def _parse_row(result: RowResult, cells: dict[str, str], industries: dict[str, int]) -> RowResult:
    """Every problem of the row is reported at once, so the user fixes the file in one pass."""
    values: dict = {k: cells[k] for k in TEXT if cells.get(k)}
    values["name"] = result.name
    reasons = [] if result.name else [_("缺少企业名称")]
    if cells.get("credit_code"):
        values["credit_code"] = compact_code(cells["credit_code"])
        problem = credit_code_problem(values["credit_code"])
        if problem:
            reasons.append(services.credit_code_message(problem))
    reasons += _parse_amounts(cells, values) + _parse_ownership(cells, values)
    if reasons:
        return result.refuse("；".join(reasons))
    if cells.get("industry"):
        values["industry_text"] = cells["industry"][:80]  # kept as written, used by matching
        if cells["industry"] in industries:
            values["industry_id"] = industries[cells["industry"]]
        else:
            result.warnings.append(_("行业“%(v)s”不在行业字典中，按原文保存为企业自述行业", v=cells["industry"]))
    for key in ("former_names", "aliases"):
        if cells.get(key):
            values[key] = [n.strip() for n in cells[key].replace("；", ";").replace("、", ";").split(";") if n.strip()]
    result.values, result.tiers = values, services.parse_tiers(cells.get("tiers", ""))
    return result


def _parse_amounts(cells: dict, values: dict) -> list[str]:
    reasons = []
    for key in ("registered_capital", "revenue"):
        try:
            amount = parse_money(cells.get(key))
        except ValueError:
            reasons.append(_("%(field)s无效：%(v)s", field=FIELD_LABELS[key], v=cells[key]))
            continue
        if amount is not None:
            values[key] = amount
    return reasons


def _parse_ownership(cells: dict, values: dict) -> list[str]:
    if cells.get("ownership"):
        ownership = OWNERSHIP_ALIASES.get(cells["ownership"], cells["ownership"])
        if ownership not in {o.value for o in Ownership}:
            return [_("企业性质无效：%(v)s", v=cells["ownership"])]
        values["ownership"] = ownership
    return []


def _find_existing(values: dict, holders: Holders) -> tuple[Company | None, str]:
    code = values.get("credit_code")
    by_code = holders.code_holder(code)
    if by_code is not None:
        return _live(by_code), ""
    same = holders.name_holder(name_norms(values["name"]))
    if same is None:
        return None, ""
    if code and same.credit_code and same.credit_code != code:
        return None, _("名称与已有企业“%(name)s”相同，但信用代码不同，请核对", name=same.name)
    return same, ""


def _live(company: Company) -> Company:
    while company.merged_into_id:
        company = db.session.get(Company, company.merged_into_id)
    return company


def _compare(result: RowResult, existing: Company) -> RowResult:
    result.existing_id, result.existing_name = existing.id, existing.name
    changes = {}
    for key, value in result.values.items():
        if key == "name" or value in (None, "", []):
            continue
        current = getattr(existing, key)
        if key in ("former_names", "aliases"):
            value = [n for n in value if n not in (getattr(existing, key) or []) and n != existing.name]
            if value:
                changes[key] = [*(getattr(existing, key) or []), *value]
        elif (Decimal(current) if isinstance(value, Decimal) and current is not None else current) != value:
            changes[key] = value
    have = {(t.tier, t.year) for t in existing.tiers}
    result.tiers = [t for t in result.tiers if t not in have]
    result.values = changes
    result.changes = [*changes, *(["tiers"] if result.tiers else [])]
    result.fate = UPDATE if result.changes else DUPLICATE
    return result


def plan_companies(table: Table) -> list[RowResult]:
    columns = map_headers(table.headers, COMPANY_HEADERS)
    if "name" not in columns:
        raise ServiceError(_("表头中找不到“企业名称”列。"), {"file": _("缺少企业名称列")}, status=422)
    industries, seen, results = _industries(), {}, []
    for start in range(0, len(table.rows), BATCH):
        parsed = []
        for line, raw in table.rows[start:start + BATCH]:
            cells = {k: cell_text(raw[i]) if i < len(raw) else "" for k, i in columns.items()}
            parsed.append(_parse_row(RowResult(line=line, name=cells.get("name", ""), raw=[cell_text(c) for c in raw]),
                                     cells, industries))
        good = [r for r in parsed if r.fate != REFUSED]
        holders = Holders([r.values.get("credit_code") for r in good], name_norms(*(r.name for r in good)))
        results += [_place(result, seen, holders) for result in parsed]
    return results


def _place(result: RowResult, seen: dict, holders: Holders) -> RowResult:
    if result.fate == REFUSED:
        return result
    keys = [normalise_name(result.name), result.values.get("credit_code")]
    earlier = next((seen[k] for k in keys if k and k in seen), None)
    if earlier is not None:
        result.fate, result.reason = DUPLICATE, _("与文件第 %(n)s 行重复", n=earlier)
        return result
    seen.update({k: result.line for k in keys if k})
    existing, conflict = _find_existing(result.values, holders)
    if conflict:
        return result.refuse(conflict)
    return _compare(result, existing) if existing is not None else result


def commit_companies(results: list[RowResult], *, actor, on_batch=None, progress=None) -> dict:
    """Write the new and update rows, BATCH at a time; after each batch `on_batch` (the caller's commit) and
    `progress(rows written, rows to write)`. A row refused on the way writes nothing."""
    in_batches([r for r in results if r.fate in (NEW, UPDATE)], lambda batch: _write_batch(batch, actor),
               on_batch=on_batch, progress=progress)
    counts = summary(results)
    audit.record("import", None, actor=actor, object_type="companies",
                 summary=_("导入企业：新增 %(new)s，更新 %(update)s，重复 %(duplicate)s，拒绝 %(refused)s", **counts),
                 changes=counts)
    if on_batch:
        on_batch()
    return counts


def in_batches(todo: list[RowResult], write, *, on_batch=None, progress=None) -> None:
    """write(batch) BATCH rows at a time; after each, `on_batch` (the caller's commit) and
    `progress(rows written, rows to write)`. Both importers write this way."""
    for start in range(0, len(todo), BATCH):
        write(todo[start:start + BATCH])
        if on_batch:
            on_batch()
        if progress:
            progress(min(start + BATCH, len(todo)), len(todo))


def _write_batch(batch: list[RowResult], actor) -> None:
    try:
        with db.session.begin_nested():
            new = [r for r in batch if r.fate == NEW]
            outcomes = services.create_companies([(r.values, r.tiers) for r in new], actor=actor)
            for result, outcome in zip(new, outcomes, strict=True):
                if isinstance(outcome, ServiceError):
                    result.refuse(outcome.message)
                else:
                    result.existing_id = outcome.id
            for result in batch:
                if result.fate == UPDATE:
                    _write_one(result, actor)
    except IntegrityError:  # someone saved one of these companies meanwhile: row by row, each on its own
        for result in batch:
            if result.fate in (NEW, UPDATE):
                _write_one(result, actor)


def _write_one(result: RowResult, actor) -> None:
    try:
        with db.session.begin_nested():
            _write(result, actor)
    except ServiceError as error:
        result.refuse(error.message)
    except IntegrityError:
        result.refuse(_("该企业刚被他人登记，请重新导入本行"))


def _write(result: RowResult, actor) -> None:
    if result.fate == NEW:
        company = services.create_company(result.values, actor=actor, tiers=result.tiers)
        result.existing_id = company.id
        return
    company = db.session.get(Company, result.existing_id)
    if result.values:
        services.update_company(company, result.values, actor=actor)
    services.set_tiers(company, result.tiers, actor=actor)


def summary(results: list[RowResult]) -> dict:
    counts = {NEW: 0, UPDATE: 0, DUPLICATE: 0, REFUSED: 0}
    for result in results:
        counts[result.fate] += 1
    return counts
