"""Company forms: they check shapes and types only; the services check the business rules."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from crm.auth.models import User
from crm.companies.models import Company, Ownership
from crm.core import choices
from crm.core.formatting import money, parse_money
from crm.core.permissions import Role
from crm.extensions import db
from crm.parks.queries import industry_options


def _money_check(_form, field) -> None:
    try:
        parse_money(field.data)
    except ValueError as exc:
        raise ValidationError(_l("金额无效（单位：万元）。")) from exc


def industry_choices() -> list[tuple[int, str]]:
    """The industries of the provinces in scope, each once (crm.parks.queries.industry_options)."""
    return [(0, "—"), *industry_options()]


def officer_choices() -> list[tuple[int, str]]:
    def read():
        rows = db.session.execute(select(User.id, User.display_name, User.username)
                                  .where(User.active.is_(True), User.role.in_([Role.officer, Role.manager]))
                                  .order_by(User.username)).all()
        return [(0, "—")] + [(u.id, u.display_name or u.username) for u in rows]  # User.name

    return choices.cached("company officers", {"users"}, read)


class CompanyForm(FlaskForm):
    name = StringField(_l("企业名称"), validators=[DataRequired(), Length(max=200)])
    credit_code = StringField(_l("统一社会信用代码"), validators=[Optional(), Length(max=40)])
    aliases = TextAreaField(_l("简称（每行一个，如：中国石化、中石化）"), validators=[Optional(), Length(max=2000)])
    former_names = TextAreaField(_l("曾用名（每行一个）"), validators=[Optional(), Length(max=2000)])
    # No nature is chosen for the officer: a wrong 央企 left in place would count in the SOE lists.
    ownership = SelectField(_l("企业性质"), choices=[("", "—"), *((o.value, o.value) for o in Ownership)], default="")
    tiers = StringField(_l("榜单（如：世界500强 2025;央企 2025）"), validators=[Optional(), Length(max=500)])
    listed_exchange = StringField(_l("上市交易所"), validators=[Optional(), Length(max=40)])
    listed_code = StringField(_l("股票代码"), validators=[Optional(), Length(max=20)])
    hq_province = StringField(_l("总部省份"), validators=[Optional(), Length(max=40)])
    hq_city = StringField(_l("总部城市"), validators=[Optional(), Length(max=40)])
    industry_id = SelectField(_l("所属行业"), coerce=int, validate_choice=False)
    industry_text = StringField(_l("行业（企业自述，如：光伏制造(单晶硅棒)）"), validators=[Optional(), Length(max=80)])
    gbt_code = StringField(_l("国民经济行业分类代码（GB/T 4754-2017）"), validators=[Optional(), Length(max=5)])
    main_business = TextAreaField(_l("主营业务"), validators=[Optional(), Length(max=5000)])
    registered_capital = StringField(_l("注册资本（万元）"), validators=[Optional(), _money_check])
    revenue = StringField(_l("营业收入（万元）"), validators=[Optional(), _money_check])
    website = StringField(_l("网址"), validators=[Optional(), Length(max=200)])
    source = StringField(_l("来源"), validators=[Optional(), Length(max=80)])
    officer_id = SelectField(_l("责任招商专员"), coerce=int, validate_choice=False)
    tags = StringField(_l("标签（逗号分隔）"), validators=[Optional(), Length(max=500)])
    notes = TextAreaField(_l("备注"), validators=[Optional(), Length(max=10000)])
    confirm_distinct = BooleanField(_l("确认不是同一家企业（名称相近但确为另一家）"))
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.industry_id.choices = industry_choices()
        self.officer_id.choices = officer_choices()

    def fill(self, company: Company) -> None:
        for key in ("name", "credit_code", "ownership", "listed_exchange", "listed_code", "hq_province", "hq_city",
                    "main_business", "website", "source", "notes", "version", "industry_text", "gbt_code"):
            getattr(self, key).data = getattr(company, key) or ""
        self.industry_id.data = company.industry_id or 0
        self.officer_id.data = company.officer_id or 0
        self.former_names.data = "\n".join(company.former_names or [])
        self.aliases.data = "\n".join(company.aliases or [])
        self.tags.data = ", ".join(company.tags or [])
        self.tiers.data = ";".join(f"{t.tier} {t.year or ''}".strip() for t in company.tiers)
        for key in ("registered_capital", "revenue"):
            value = getattr(company, key)
            getattr(self, key).data = money(value).replace(",", "") if value is not None else ""

    def values(self) -> dict:
        """Typed values for the service."""
        data = {k: getattr(self, k).data or "" for k in (
            "name", "credit_code", "ownership", "listed_exchange", "listed_code", "hq_province", "hq_city",
            "main_business", "website", "source", "notes", "industry_text", "gbt_code")}
        data["industry_id"] = self.industry_id.data or None
        data["officer_id"] = self.officer_id.data or None
        for key in ("former_names", "aliases"):
            data[key] = [n.strip() for n in (getattr(self, key).data or "").splitlines() if n.strip()]
        data["tags"] = [t.strip() for t in (self.tags.data or "").replace("，", ",").split(",") if t.strip()]
        data["registered_capital"] = parse_money(self.registered_capital.data)
        data["revenue"] = parse_money(self.revenue.data)
        return data


class MergeForm(FlaskForm):
    other_id = IntegerField(_l("被合并企业的编号"), validators=[DataRequired()])


class ImportForm(FlaskForm):
    kind = SelectField(_l("导入内容"), choices=[("companies", _l("目标企业")), ("logs", _l("接洽记录"))],
                       default="companies")
    file = FileField(_l("文件（xlsx 或 CSV，UTF-8/GBK）"), validators=[FileRequired()])
