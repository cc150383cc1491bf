"""The audit-log filter (a GET form) and the security settings form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import NumberRange, Optional


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a search form read from the query string changes nothing

    user = StringField(_l("用户名"), validators=[Optional()])
    action = StringField(_l("操作"), validators=[Optional()])
    object_type = StringField(_l("对象类型"), validators=[Optional()])
    object_id = IntegerField(_l("对象编号"), validators=[Optional()])
    start = DateField(_l("开始日期"), validators=[Optional()])
    end = DateField(_l("结束日期"), validators=[Optional()])
    text = StringField(_l("摘要包含"), validators=[Optional()])


class SecuritySettingsForm(FlaskForm):
    min_length = IntegerField(_l("密码最少字符数"), validators=[NumberRange(8, 64)])
    min_classes = IntegerField(_l("密码至少包含字符类别数（大写、小写、数字、符号）"), validators=[NumberRange(3, 4)])
    max_age_days = IntegerField(_l("密码有效期（天，0 表示不过期）"), validators=[NumberRange(0, 3650)])
    retention_days = IntegerField(_l("审计日志保留天数（不少于 180）"), validators=[NumberRange(180, 36500)])
