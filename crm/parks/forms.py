"""Admin forms for a park's positioning, chains and links."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class ProfileForm(FlaskForm):
    positioning = TextAreaField(_l("产业定位"), validators=[Length(max=5000)])
    industries = StringField(_l("主导产业（用顿号或逗号分隔）"), validators=[Length(max=2000)])
    anchors = StringField(_l("已入驻龙头企业（用顿号或逗号分隔）"), validators=[Length(max=2000)])
    valid_from = DateField(_l("生效日期（yyyy-mm-dd）"), validators=[Optional()])
    source = StringField(_l("依据（文件及条款、报道或调研）"), validators=[Length(max=300)])
    reason = TextAreaField(_l("修改原因"), validators=[Length(max=2000)])


class ChainForm(FlaskForm):
    name = StringField(_l("产业链名称"), validators=[DataRequired(), Length(max=120)])


class LinkForm(FlaskForm):
    name = StringField(_l("环节名称"), validators=[DataRequired(), Length(max=120)])
    keywords = StringField(_l("关键词（用顿号或逗号分隔）"), validators=[Length(max=2000)])
    position = IntegerField(_l("顺序"), validators=[Optional(), NumberRange(min=1, max=100)])
