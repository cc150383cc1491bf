"""Event forms and the bulk signing-day entry form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class EventForm(FlaskForm):
    type_id = SelectField(_l("类型"), choices=[], coerce=int, validators=[DataRequired()])
    name = StringField(_l("名称"), validators=[DataRequired(), Length(max=200)])
    edition = StringField(_l("届次"), validators=[Length(max=40)])
    year = IntegerField(_l("年份"), validators=[DataRequired(), NumberRange(1990, 2100)])
    start_date = DateField(_l("开始日期"), validators=[Optional()])
    end_date = DateField(_l("结束日期"), validators=[Optional()])
    place = StringField(_l("地点"), validators=[Length(max=120)])
    organiser = StringField(_l("主办单位"), validators=[Length(max=200)])


class BulkForm(FlaskForm):
    rows = TextAreaField(_l("签约项目（从 Excel 复制粘贴，每行一个项目，以制表符分隔）"),
                         validators=[DataRequired(), Length(max=500_000)])
    confirm = HiddenField()
