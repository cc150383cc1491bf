"""Admin forms for a policy document's description and a clause's heading, text and tags."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from crm.policies.models import LEVEL_LABELS, STATUS_LABELS, TAGS


def split_codes(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").replace("，", ",").replace("、", ",").split(",") if p.strip()]


class DocumentForm(FlaskForm):
    key = StringField(_l("简称"), validators=[DataRequired(), Length(max=40)])
    title = StringField(_l("标题"), validators=[DataRequired(), Length(max=300)])
    issuer = StringField(_l("发文机关"), validators=[Length(max=200)])
    number = StringField(_l("文号"), validators=[Length(max=80)])
    level = SelectField(_l("层级"), choices=[(k.value, v) for k, v in LEVEL_LABELS.items()])
    year = IntegerField(_l("年份"), validators=[Optional(), NumberRange(min=1949, max=2100)])
    issued_on = DateField(_l("发文日期"), validators=[Optional()])
    effective_on = DateField(_l("施行日期"), validators=[Optional()])
    expires_on = DateField(_l("失效日期"), validators=[Optional()])
    status = SelectField(_l("状态"), choices=[(k.value, v) for k, v in STATUS_LABELS.items()])
    replaced_by = StringField(_l("替代文件（简称）"), validators=[Length(max=40)])
    regions = StringField(_l("适用区域代码（逗号分隔）"), validators=[Length(max=500)])
    parks = StringField(_l("适用园区代码（逗号分隔，空为区域内全部）"), validators=[Length(max=500)])
    industries = StringField(_l("适用行业（逗号分隔，空为全部）"), validators=[Length(max=1000)])
    notes = TextAreaField(_l("说明"), validators=[Length(max=5000)])

    def validate_expires_on(self, field):
        if field.data and self.issued_on.data and field.data < self.issued_on.data:
            raise ValidationError(_l("失效日期早于发文日期"))


class ClauseForm(FlaskForm):
    heading = StringField(_l("标题"), validators=[Length(max=200)])
    text = TextAreaField(_l("条文"), validators=[DataRequired(), Length(max=20000)])
    tags = SelectMultipleField(_l("标签"), choices=[(t, t) for t in TAGS])
