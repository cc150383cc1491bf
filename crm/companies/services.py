"""Writes on companies: create, update, tiers, duplicate checks and merges (they flush; callers commit)."""
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, union, update

from crm.companies import search
from crm.companies.identity import Holders, name_norms
from crm.companies.models import Company, CompanyMerge, CompanyTier, Contact, ContactLog, Ownership
from crm.companies.names import (
    compact_code,
    credit_code_problem,
    normalise_name,
    pinyin_keys,
    search_words,
)
from crm.core import audit
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.params import EARLIEST, LATEST, version_of
from crm.extensions import db
from crm.matching.classify import classification

# Fields a caller may set; values arrive already typed (Decimal, int ids, lists).
FIELDS = ("name", "former_names", "aliases", "credit_code", "ownership", "listed_exchange", "listed_code",
          "hq_province", "hq_city", "industry_id", "industry_text", "gbt_code", "main_business", "registered_capital",
          "revenue", "website", "source", "officer_id", "tags", "notes")
TEXT_LIMITS = {"name": 200, "listed_exchange": 40, "listed_code": 20, "hq_province": 40, "hq_city": 40,
               "website": 200, "source": 80, "industry_text": 80}


def credit_code_message(problem: str) -> str:
    return {
        "length": _("统一社会信用代码应为 18 位。"),
        "checksum": _("统一社会信用代码校验位错误，请核对最后一位。"),
    }.get(problem, _("统一社会信用代码格式不正确（含有不允许的字符或登记机关代码无效）。"))


def clean(data: dict) -> dict:
    """Check the domain rules on typed values; raise one ServiceError naming every bad field."""
    values = {k: v for k, v in data.items() if k in FIELDS}
    errors: dict[str, str] = {}
    _check_identity(values, errors)
    for key, limit in TEXT_LIMITS.items():
        if isinstance(values.get(key), str) and len(values[key]) > limit:
            errors[key] = _("不超过 %(n)s 个字符", n=limit)
    if values.get("gbt_code"):
        values["gbt_code"] = values["gbt_code"].strip().upper()
        if classification().get(values["gbt_code"]) is None:
            errors["gbt_code"] = _("不是 GB/T 4754-2017 的行业代码（如 3825）")
    for key in ("registered_capital", "revenue"):
        if values.get(key) is not None and Decimal(values[key]) < 0:
            errors[key] = _("金额不能为负数。")
    for key in ("former_names", "aliases", "tags"):
        if key in values:
            values[key] = [str(x).strip() for x in values[key] or [] if str(x).strip()]
    if errors:
        raise ServiceError(_("请修改标出的字段。") if len(errors) > 1 else next(iter(errors.values())), errors,
                           status=422)
    return values


def _check_identity(values: dict, errors: dict) -> None:
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        if not values["name"]:
            errors["name"] = _("请填写企业名称。")
    if "credit_code" in values:
        values["credit_code"] = compact_code(values["credit_code"]) or None
        problem = values["credit_code"] and credit_code_problem(values["credit_code"])
        if problem:
            errors["credit_code"] = credit_code_message(problem)
    if "ownership" in values:
        values["ownership"] = values["ownership"] or Ownership.other
        if values["ownership"] not in {o.value for o in Ownership}:
            errors["ownership"] = _("企业性质无效。")


def _refresh_keys(company: Company) -> None:
    company.name_norm = normalise_name(company.name)
    full, initials = pinyin_keys(company.name)
    company.pinyin_full, company.pinyin_initials = full[:400], initials[:200]
    norms = [normalise_name(n) for n in company.former_names or []]
    company.former_norms = "".join(f"|{n}" for n in norms if n) + ("|" if norms else "")
    company.search_words = search_words(company.name, company.aliases)


def find_duplicates(name: str, credit_code: str | None = None, former_names=(), exclude_id: int | None = None):
    """Existing live companies with the same credit code or normalised name (former names included)."""
    norms = {normalise_name(n) for n in [name, *former_names] if n and normalise_name(n)}
    conditions = [Company.name_norm.in_(norms)] if norms else []
    former = [Company.former_norms.contains(f"|{n}|", autoescape=True) for n in norms]
    if former:
        narrowed = _may_hold(norms)
        conditions.append(or_(*former) if narrowed is None else and_(Company.id.in_(narrowed), or_(*former)))
    if credit_code:
        conditions.append(Company.credit_code == credit_code)
    if not conditions:
        return []
    query = select(Company).where(or_(*conditions), Company.merged_into_id.is_(None))
    if exclude_id is not None:
        query = query.where(Company.id != exclude_id)
    return db.session.scalars(query.order_by(Company.id).limit(10)).all()


def _may_hold(norms: set[str]):
    """The companies whose texts may contain one of these norms, from the search index (search.candidates);
    None when a norm is too short or too common for it. Testing the former names of every company instead
    took 60 ms a check at 100,000 companies: ten minutes for an import of 10,000 rows."""
    parts = []
    for norm in sorted(norms):
        found = search.candidates(db.session, norm)
        if found is None:
            return None
        parts.append(found.ids)
    return parts[0] if len(parts) == 1 else union(*parts)


def check_duplicates(values: dict, *, confirm_distinct: bool, exclude_id: int | None = None) -> None:
    code = values.get("credit_code")
    if code:
        taken = db.session.scalar(select(Company).where(Company.credit_code == code, Company.id != (exclude_id or 0)))
        if taken is not None:
            raise _code_taken(code, taken)
    if confirm_distinct or "name" not in values:
        return
    same = find_duplicates(values["name"], None, values.get("former_names") or (), exclude_id)
    if same:
        raise _name_taken(same[0])


def _code_taken(code: str, holder: Company) -> ServiceError:
    return ServiceError(_("信用代码 %(code)s 已属于“%(name)s”，不能重复登记。", code=code, name=holder.name),
                        {"credit_code": _("该信用代码已存在"), "duplicate_of": holder.id}, status=409, code="duplicate")


def _name_taken(holder: Company) -> ServiceError:
    return ServiceError(_("已有名称相同或相近的企业“%(name)s”；如确认是另一家企业，请勾选“确认不是同一家企业”。",
                          name=holder.name),
                        {"name": _("疑似重复"), "duplicate_of": holder.id}, status=409, code="duplicate")


def create_company(data: dict, *, actor, confirm_distinct: bool = False, tiers=()) -> Company:
    values = clean({**data, "name": data.get("name", "")})
    check_duplicates(values, confirm_distinct=confirm_distinct)
    company = _new_company(values, actor, tiers)
    db.session.flush()
    _record_created(company, actor)
    return company


def create_companies(items: list[tuple[dict, list]], *, actor) -> list[Company | ServiceError]:
    """create_company for a batch of (data, tiers): the same checks, in a few statements for the lot and one
    flush. Each item's outcome is its new company or the ServiceError that refused it (a duplicate of an
    existing company or of an earlier item); a refused item writes nothing."""
    outcomes: list[Company | ServiceError | dict] = []
    for data, _tiers in items:
        try:
            outcomes.append(clean({**data, "name": data.get("name", "")}))
        except ServiceError as error:
            outcomes.append(error)
    cleaned = [o for o in outcomes if isinstance(o, dict)]
    holders = Holders([v.get("credit_code") for v in cleaned],
                      set().union(*(name_norms(v["name"], *(v.get("former_names") or ())) for v in cleaned)))
    batch_codes, batch_norms = {}, {}
    for index, ((_data, tiers), values) in enumerate(zip(items, outcomes, strict=True)):
        if not isinstance(values, dict):
            continue
        code, norms = values.get("credit_code"), name_norms(values["name"], *(values.get("former_names") or ()))
        same_name = holders.name_holder(norms) or next((batch_norms[n] for n in norms if n in batch_norms), None)
        if (same_code := holders.code_holder(code) or batch_codes.get(code)) is not None:
            outcomes[index] = _code_taken(code, same_code)
        elif same_name is not None:
            outcomes[index] = _name_taken(same_name)
        else:
            outcomes[index] = company = _new_company(values, actor, tiers)
            batch_codes.update({code: company} if code else {})
            batch_norms.update({n: company for n in norms})
    db.session.flush()
    for company in outcomes:
        if isinstance(company, Company):
            _record_created(company, actor)
    return outcomes


def _new_company(values: dict, actor, tiers) -> Company:
    company = Company(**values, created_by_id=getattr(actor, "id", None), updated_by_id=getattr(actor, "id", None))
    _refresh_keys(company)
    db.session.add(company)
    set_tiers(company, tiers, actor=None)
    return company


def _record_created(company: Company, actor) -> None:
    audit.record("create", company, actor=actor, summary=_("新建企业：%(name)s", name=company.name))


def update_company(company: Company, data: dict, *, actor, confirm_distinct: bool = False,
                   version: int | None = None) -> dict:
    """Apply the given fields; a rename keeps the old name among the former names. Returns the changes."""
    version = version_of(version)
    if version is not None and version != company.version:
        raise ServiceError(_("该企业已被他人修改，请刷新后重试。"), status=409, code="conflict")
    values = clean(data)
    if values.get("name") and values["name"] != company.name:
        former = list(values.get("former_names", company.former_names) or [])
        values["former_names"] = [*former, company.name] if company.name not in former else former
    check_duplicates(values, confirm_distinct=confirm_distinct, exclude_id=company.id)
    before = audit.snapshot(company, list(values))
    for key, value in values.items():
        setattr(company, key, value)
    changes = audit.diff(company, list(values), before)
    if changes:
        _refresh_keys(company)
        company.updated_by_id = getattr(actor, "id", None)
        db.session.flush()
        audit.record("update", company, actor=actor, summary=_("修改企业：%(name)s", name=company.name),
                     changes=changes)
    return changes


def parse_tiers(text: str) -> list[tuple[str, int | None]]:
    """"世界500强 2025;央企" → [("世界500强", 2025), ("央企", None)]."""
    result = []
    for part in str(text or "").replace("；", ";").replace("，", ";").replace(",", ";").replace("、", ";").split(";"):
        words = part.split()
        if not words:
            continue
        year = int(words[-1]) if len(words) > 1 and words[-1].isdigit() and len(words[-1]) == 4 else None
        name = " ".join(words[:-1] if year else words)
        if (name, year) not in result:
            result.append((name, year))
    return result


TIER_NAME_MAX = 40  # CompanyTier.tier


def _check_tiers(tiers: list[tuple[str, int | None]]) -> None:
    for name, year in tiers:
        if len(name) > TIER_NAME_MAX:
            raise ServiceError(_("榜单名称不超过 %(n)s 个字符。", n=TIER_NAME_MAX), {"tiers": name[:40]}, status=422)
        if year is not None and not (isinstance(year, int) and EARLIEST.year <= year <= LATEST.year):
            raise ServiceError(_("榜单年份应在 %(low)s 至 %(high)s 之间。", low=EARLIEST.year, high=LATEST.year),
                               {"tiers": str(year)[:20]}, status=422)


def set_tiers(company: Company, tiers, *, actor, replace: bool = False) -> bool:
    """Add the (tier, year) pairs the company lacks; with replace, drop the ones not given."""
    wanted = [(str(t).strip(), y) for t, y in tiers if str(t).strip()]
    _check_tiers(wanted)
    have = {(t.tier, t.year): t for t in company.tiers}
    changed = False
    for key in wanted:
        if key not in have:
            company.tiers.append(CompanyTier(tier=key[0], year=key[1]))
            changed = True
    if replace:
        for key, row in have.items():
            if key not in wanted:
                company.tiers.remove(row)
                changed = True
    if changed and actor is not None:
        db.session.flush()
        audit.record("update", company, actor=actor, summary=_("修改企业榜单：%(name)s", name=company.name),
                     changes={"tiers": [f"{t} {y or ''}".strip() for t, y in wanted]})
    return changed


def merge_companies(kept: Company, merged: Company, *, actor) -> CompanyMerge:
    """Move contacts, logs, projects and tiers of `merged` to `kept`, keep a trace, retire `merged`."""
    from crm.projects.models import Project, ProjectMember

    if kept.id == merged.id or merged.merged_into_id is not None or kept.merged_into_id is not None:
        raise ServiceError(_("不能合并：请选择两家不同且未被合并的企业。"), status=422)
    moved = {
        "contacts": db.session.execute(update(Contact).where(Contact.company_id == merged.id)
                                       .values(company_id=kept.id)).rowcount,
        "logs": db.session.execute(update(ContactLog).where(ContactLog.company_id == merged.id)
                                   .values(company_id=kept.id)).rowcount,
        "projects": db.session.execute(update(Project).where(Project.company_id == merged.id)
                                       .values(company_id=kept.id)).rowcount,
        "tiers": 0,
    }
    kept_members = select(ProjectMember.project_id).where(ProjectMember.company_id == kept.id)
    db.session.execute(update(ProjectMember).where(ProjectMember.company_id == merged.id,
                                                   ProjectMember.project_id.not_in(kept_members))
                       .values(company_id=kept.id))
    have = {(t.tier, t.year) for t in kept.tiers}
    for tier in list(merged.tiers):
        if (tier.tier, tier.year) not in have:
            kept.tiers.append(CompanyTier(tier=tier.tier, year=tier.year, rank=tier.rank))
            moved["tiers"] += 1
    _absorb_identity(kept, merged)
    trace = CompanyMerge(kept_id=kept.id, merged_id=merged.id, merged_name=merged.name,
                         merged_credit_code=merged.credit_code or "", moved=moved,
                         actor_id=getattr(actor, "id", None), at=utcnow())
    db.session.add(trace)
    db.session.expire(kept, ["contacts"])
    db.session.flush()
    audit.record("merge", kept, actor=actor, summary=_("合并企业：%(a)s 并入 %(b)s", a=merged.name, b=kept.name),
                 changes={"merged_id": merged.id, "moved": moved})
    return trace


def _absorb_identity(kept: Company, merged: Company) -> None:
    """The kept record learns the other's names, code and last contact; the other points to it."""
    former = list(kept.former_names or [])
    for name in [merged.name, *(merged.former_names or [])]:
        if name != kept.name and name not in former:
            former.append(name)
    kept.former_names = former
    code = merged.credit_code
    merged.credit_code = None
    merged.merged_into_id = kept.id
    merged.tiers.clear()
    db.session.flush()  # frees the unique credit code before the kept record takes it
    if not kept.credit_code and code:
        kept.credit_code = code
    dates = [d for d in (kept.last_contact_on, merged.last_contact_on) if d]
    kept.last_contact_on = max(dates) if dates else None
    _refresh_keys(kept)
