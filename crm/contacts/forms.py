"""Forms for contacts, contact logs and trips: shapes and types only; services check the rules."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from crm.companies.models import Company, LogKind
from crm.extensions import db


class LogForm(FlaskForm):
    date = DateField(_l("日期"), validators=[DataRequired()])
    kind = SelectField(_l("方式"), choices=[(k.value, k.value) for k in LogKind])
    summary = TextAreaField(_l("洽谈内容"), validators=[DataRequired(), Length(max=10000)])
    next_step = StringField(_l("下一步"), validators=[Optional(), Length(max=5000)])
    next_follow_up = DateField(_l("下次跟进日期"), validators=[Optional()])
    contact_ids = SelectMultipleField(_l("接洽人员"), coerce=int, validate_choice=False)
    project_id = SelectField(_l("关联项目"), coerce=int, validate_choice=False)

    def for_company(self, company: Company, projects=None) -> "LogForm":
        """projects: the company's (id, name) rows, newest first, when the caller has read them already."""
        from crm.projects.models import Project

        self.contact_ids.choices = [(c.id, f"{c.name} {c.title}".strip()) for c in company.contacts]
        if projects is None:
            projects = db.session.execute(select(Project.id, Project.name).where(Project.company_id == company.id)
                                          .order_by(Project.id.desc())).all()
        self.project_id.choices = [(0, "—")] + [(p.id, p.name) for p in projects]
        return self

    def values(self) -> dict:
        return {"date": self.date.data, "kind": self.kind.data, "summary": self.summary.data or "",
                "next_step": self.next_step.data or "", "next_follow_up": self.next_follow_up.data,
                "contact_ids": self.contact_ids.data or [], "project_id": self.project_id.data or None}


class ContactForm(FlaskForm):
    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=80)])
    title = StringField(_l("职务"), validators=[Optional(), Length(max=80)])
    mobile = StringField(_l("手机"), validators=[Optional(), Length(max=20)])
    phone = StringField(_l("电话"), validators=[Optional(), Length(max=40)])
    email = StringField(_l("邮箱"), validators=[Optional(), Length(max=200)])
    wechat = StringField(_l("微信"), validators=[Optional(), Length(max=80)])
    notes = TextAreaField(_l("备注"), validators=[Optional(), Length(max=5000)])
    is_primary = BooleanField(_l("主要联系人"))

    def values(self) -> dict:
        return {k: getattr(self, k).data for k in ("name", "title", "mobile", "phone", "email", "wechat", "notes",
                                                   "is_primary")}


class TripForm(FlaskForm):
    title = StringField(_l("出访名称"), validators=[DataRequired(), Length(max=200)])
    leader_name = StringField(_l("带队领导"), validators=[Optional(), Length(max=80)])
    leader_level = SelectField(_l("领导级别"), choices=[("", "—"), ("省", "省"), ("市州", "市州"), ("县", "县")])
    members = TextAreaField(_l("成员"), validators=[Optional(), Length(max=5000)])
    destination = StringField(_l("目的地"), validators=[Optional(), Length(max=200)])
    start_date = DateField(_l("开始日期"), validators=[Optional()])
    end_date = DateField(_l("结束日期"), validators=[Optional()])
    results = TextAreaField(_l("成果"), validators=[Optional(), Length(max=10000)])
    next_steps = TextAreaField(_l("下一步工作"), validators=[Optional(), Length(max=10000)])

    def values(self) -> dict:
        return {k: getattr(self, k).data for k in ("title", "leader_name", "leader_level", "members", "destination",
                                                   "start_date", "end_date", "results", "next_steps")}


class VisitForm(FlaskForm):
    company = StringField(_l("拜访企业（名称或信用代码）"), validators=[DataRequired(), Length(max=200)])
    date = DateField(_l("日期"), validators=[DataRequired()])
    kind = SelectField(_l("方式"), choices=[(k.value, k.value) for k in LogKind])
    summary = TextAreaField(_l("洽谈内容"), validators=[DataRequired(), Length(max=10000)])
    next_step = StringField(_l("下一步"), validators=[Optional(), Length(max=5000)])
    next_follow_up = DateField(_l("下次跟进日期"), validators=[Optional()])
