"""The admin's form for one yearly target."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from crm.metrics.targets import TARGET_LABELS


class TargetForm(FlaskForm):
    unit = StringField(_l("单位（province 或园区代码）"), default="province",
                       validators=[DataRequired(), Length(max=20)])
    year = IntegerField(_l("年度"), validators=[DataRequired(), NumberRange(2000, 2100)])
    metric = SelectField(_l("指标"), choices=[(k.value, v) for k, v in TARGET_LABELS.items()])
    value = DecimalField(_l("目标值"), places=4, validators=[InputRequired(), NumberRange(0)])
    note = StringField(_l("备注"), validators=[Length(max=200)])
