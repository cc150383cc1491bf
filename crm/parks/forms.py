"""Admin forms for a park's positioning, chains and links."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class ProfileForm(FlaskForm):
    positioning = TextAreaField(_l("产业定位"), validators=[Length(max=5000)])
    industries = StringField(_l("主导产业（用顿号或逗号分隔）"), validators=[Length(max=2000)])


class ChainForm(FlaskForm):
    name = StringField(_l("产业链名称"), validators=[DataRequired(), Length(max=120)])


class LinkForm(FlaskForm):
    name = StringField(_l("环节名称"), validators=[DataRequired(), Length(max=120)])
    keywords = StringField(_l("关键词（用顿号或逗号分隔）"), validators=[Length(max=2000)])
    position = IntegerField(_l("顺序"), validators=[Optional(), NumberRange(min=1, max=100)])
