"""Sign-in, profile, password, token and user-administration forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from crm.core.permissions import ROLE_LABELS, Role


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(max=200)])


class ProfileForm(FlaskForm):
    display_name = StringField(_l("姓名"), validators=[Length(max=80)])
    email = StringField(_l("电子邮箱"), validators=[Optional(), Length(max=200)])
    locale = SelectField(_l("界面语言"), choices=[("zh_CN", "中文"), ("en", "English")])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("当前密码"), validators=[DataRequired(), Length(max=200)])
    new = PasswordField(_l("新密码"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(_l("确认新密码"), validators=[DataRequired(), EqualTo("new", _l("两次输入不一致"))])


class TokenForm(FlaskForm):
    name = StringField(_l("令牌名称"), validators=[DataRequired(), Length(max=80)])
    access = SelectField(_l("权限"), choices=[("write", _l("读写")), ("read", _l("只读"))], default="write")
    days = IntegerField(_l("有效天数"), default=180, validators=[DataRequired(), NumberRange(1, 3650)])


class UserForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=80)])
    display_name = StringField(_l("姓名"), validators=[Length(max=80)])
    unit = StringField(_l("单位"), validators=[Length(max=120)])
    email = StringField(_l("电子邮箱"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("角色"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()],
                       default=Role.officer.value)
    parks = SelectMultipleField(_l("所属园区（园区人员）"), choices=[])
    active = BooleanField(_l("启用"), default=True)
    password = PasswordField(_l("初始密码（新用户）"), validators=[Optional(), Length(max=200)])
