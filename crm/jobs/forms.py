"""Forms: notification preferences (a checkbox pair per kind) and the admin's schedule and thresholds."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import NumberRange, ValidationError

from crm.jobs.kinds import KINDS
from crm.jobs.registry import JOBS, cron_error


def preferences_form(choices: dict[str, tuple[bool, bool]]) -> FlaskForm:
    """choices: kind -> (in_app, email), the current values shown on first display."""

    class PreferencesForm(FlaskForm):
        pass

    for kind in KINDS:
        setattr(PreferencesForm, f"{kind}__in_app", BooleanField(_l("站内"), default=choices[kind][0]))
        setattr(PreferencesForm, f"{kind}__email", BooleanField(_l("邮件"), default=choices[kind][1]))
    return PreferencesForm()


def _check_cron(_form, field) -> None:
    if error := cron_error(field.data or ""):
        raise ValidationError(_l("计划格式无效：%(error)s", error=error))


def schedule_form(values: dict) -> FlaskForm:
    """values: field name -> current value (cron lines under the job names, and the thresholds)."""

    class ScheduleForm(FlaskForm):
        stale_days = IntegerField(_l("久未联系天数"), validators=[NumberRange(1, 3650)], default=values["stale_days"])
        yellow_days = IntegerField(_l("黄色预警：超过计划日期天数"), validators=[NumberRange(1, 3650)],
                                   default=values["yellow_days"])
        red_days = IntegerField(_l("红色预警：超过计划日期天数"), validators=[NumberRange(1, 3650)],
                                default=values["red_days"])
        funds_report_day = IntegerField(_l("每月资金报送截止日"), validators=[NumberRange(1, 28)],
                                        default=values["funds_report_day"])

        def validate_red_days(self, field):
            if self.yellow_days.data and field.data and field.data <= self.yellow_days.data:
                raise ValidationError(_l("红色预警天数应大于黄色预警天数。"))

    for name, spec in JOBS.items():
        setattr(ScheduleForm, name, StringField(spec.label, validators=[_check_cron], default=values[name]))
    return ScheduleForm()
