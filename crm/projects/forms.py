"""Project forms: they validate shape and carry CSRF; the services parse and judge the values."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from crm.projects.editing import LEADER_LEVELS, RESERVE_LEVELS, SOURCES
from crm.projects.fields import SelectField
from crm.projects.models import FUNDS_EVIDENCE, FUNDS_SOURCES, FUNDS_USES, PROBLEM_CATEGORIES


# Hidden fields get explicit labels (the names wtforms would derive): a field without a label asks wtforms'
# catalogue to translate its name, and Flask-WTF loads that catalogue from disk for the request (~2 ms).
def _hidden(label: str) -> HiddenField:
    return HiddenField(label)


def _blank(choices):
    return [("", "—"), *choices]


class ProjectForm(FlaskForm):
    name = StringField(_l("项目名称"), validators=[DataRequired(), Length(max=200)])
    company = StringField(_l("企业（名称或统一社会信用代码）"), validators=[DataRequired(), Length(max=200)])
    company_id = _hidden("Company Id")
    park_id = SelectField(_l("落地园区"), choices=[], validators=[DataRequired()])
    industry_id = SelectField(_l("产业"), choices=[], validators=[Optional()])
    link_id = SelectField(_l("补链环节"), choices=[], validators=[Optional()])
    agreed_investment = StringField(_l("协议投资额（万元）"), validators=[Optional(), Length(max=30)])
    fixed_asset_investment = StringField(_l("固定资产投资（万元）"), validators=[Optional(), Length(max=30)])
    land_mu = StringField(_l("用地（亩）"), validators=[Optional(), Length(max=30)])
    planned_output = StringField(_l("预计年产值（万元）"), validators=[Optional(), Length(max=30)])
    jobs = IntegerField(_l("就业岗位"), validators=[Optional()])
    energy_use = StringField(_l("预计能耗（吨标准煤/年）"), validators=[Optional(), Length(max=30)])
    officer_id = SelectField(_l("责任招商专员"), choices=[], validators=[Optional()])
    responsible_unit = StringField(_l("责任单位"), validators=[Length(max=120)])
    contact_leader = StringField(_l("包联领导"), validators=[Length(max=80)])
    leader_level = SelectField(_l("包联层级"), choices=_blank([(v, v) for v in LEADER_LEVELS]),
                               validate_choice=False)
    reserve_level = SelectField(_l("储备库层级"), choices=_blank([(v, v) for v in RESERVE_LEVELS]),
                                validate_choice=False)
    source = SelectField(_l("项目来源"), choices=_blank(list(SOURCES.items())), validate_choice=False)
    planned_sign_date = DateField(_l("计划签约日期"), validators=[Optional()])
    planned_start_date = DateField(_l("计划开工日期"), validators=[Optional()])
    planned_production_date = DateField(_l("计划投产日期"), validators=[Optional()])
    content = TextAreaField(_l("建设内容"), validators=[Length(max=5000)])
    notes = TextAreaField(_l("备注"), validators=[Length(max=5000)])
    version = _hidden("Version")
    original = _hidden("Original")


class FundsForm(FlaskForm):
    period = StringField(_l("月份（YYYY-MM）"), validators=[DataRequired(), Length(max=20)])
    amount = StringField(_l("到位金额（万元）"), validators=[DataRequired(), Length(max=30)])
    source = SelectField(_l("资金来源"), choices=[(s, s) for s in FUNDS_SOURCES])
    use = SelectField(_l("资金用途"), choices=list(FUNDS_USES.items()))
    evidence = SelectField(_l("凭证"), choices=_blank(list(FUNDS_EVIDENCE.items())))
    note = StringField(_l("说明"), validators=[Length(max=2000)])
    attachment = FileField(_l("附件（PDF/JPG/PNG）"))
    corrects = _hidden("Corrects")


class ProblemForm(FlaskForm):
    description = TextAreaField(_l("问题描述"), validators=[DataRequired(), Length(max=5000)])
    category = SelectField(_l("类别"), choices=[(c, c) for c in PROBLEM_CATEGORIES])
    responsible_unit = StringField(_l("责任单位"), validators=[Length(max=120)])
    due_date = DateField(_l("办结时限"), validators=[Optional()])


class SupervisionForm(FlaskForm):
    instruction = TextAreaField(_l("领导批示"), validators=[DataRequired(), Length(max=5000)])
    leader = StringField(_l("批示领导"), validators=[Length(max=80)])
    owner_id = SelectField(_l("责任人"), choices=[], validators=[DataRequired()])
    due_date = DateField(_l("办结时限"), validators=[Optional()])


class TaskForm(FlaskForm):
    kind = SelectField(_l("清单"), choices=[("task", _l("任务清单")), ("responsibility", _l("责任清单"))])
    description = StringField(_l("内容"), validators=[DataRequired(), Length(max=5000)])
    owner = StringField(_l("责任单位/人"), validators=[Length(max=120)])
    due_date = DateField(_l("时限"), validators=[Optional()])


class RegistrationForm(FlaskForm):
    registered_date = DateField(_l("注册日期"), validators=[DataRequired()])
    local_credit_code = StringField(_l("本地公司统一社会信用代码"), validators=[DataRequired(), Length(max=18)])


class NoteForm(FlaskForm):
    """Review decisions, problem status changes and closing supervision: a comment and a choice."""

    comment = TextAreaField(_l("意见"), validators=[Length(max=2000)])
    status = _hidden("Status")
