"""The jobs: name, label, default schedule (a crontab line in Asia/Shanghai) and the function that runs."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from flask_babel import lazy_gettext as _l

from crm.config import TIMEZONE
from crm.core import settings
from crm.jobs.tasks import (
    digest,
    dispatch,
    land_idle,
    lateness,
    monthly,
    policy_duties,
    reminders,
    summary,
    webhooks,
)

ZONE = ZoneInfo(TIMEZONE)


@dataclass(frozen=True)
class JobSpec:
    name: str
    label: object
    default_cron: str
    func: Callable[..., int]
    quiet: bool = False  # record a run only when it did something or failed (dispatch runs every minute)

    @property
    def setting_key(self) -> str:
        return f"jobs.cron.{self.name}"


JOBS: dict[str, JobSpec] = {spec.name: spec for spec in (
    JobSpec("follow_up_reminders", _l("跟进提醒（当日到期的下次跟进）"), "0 8 * * *", reminders.follow_up_reminders),
    JobSpec("stale_targets", _l("久未联系的目标企业"), "10 8 * * *", reminders.stale_targets),
    JobSpec("lateness_warnings", _l("项目逾期预警与红黄绿状态"), "20 8 * * *", lateness.lateness_warnings),
    JobSpec("daily_digest", _l("每日摘要（预警与久未联系企业汇总为每人一条）"), "40 8 * * *", digest.daily_digest),
    JobSpec("land_idle_check", _l("闲置土地检查"), "30 8 * * *", land_idle.land_idle_check),
    JobSpec("policy_duties", _l("政策条款到期事项提醒"), "50 8 * * *", policy_duties.policy_duty_reminders),
    JobSpec("monthly_snapshot", _l("月度指标快照"), "0 2 1 * *", monthly.monthly_snapshot),
    JobSpec("monthly_ledger", _l("月度台账生成"), "30 2 1 * *", monthly.monthly_ledger),
    JobSpec("weekly_summary", _l("每周领导汇总"), "0 8 * * mon", summary.weekly_summary),
    JobSpec("dispatch", _l("邮件发送"), "* * * * *", dispatch.dispatch, quiet=True),
    JobSpec("webhooks", _l("接口推送（Webhook）"), "* * * * *", webhooks.webhook_deliveries, quiet=True),
)}

for _spec in JOBS.values():
    settings.declare(_spec.setting_key, _spec.default_cron)


def cron_of(name: str) -> str:
    """The job's crontab line from settings; an empty line means the job is switched off."""
    return (settings.get(JOBS[name].setting_key) or "").strip()


def trigger(cron: str) -> CronTrigger:
    return CronTrigger.from_crontab(cron, timezone=ZONE)


def cron_error(cron: str) -> str | None:
    """None when the line is valid (or empty: off); otherwise APScheduler's complaint."""
    if not cron.strip():
        return None
    try:
        trigger(cron)
    except ValueError as error:
        return str(error)
    return None


def fires_on(cron: str, day: date) -> bool:
    if not cron:
        return False
    start = datetime.combine(day, time.min, tzinfo=ZONE)
    fire = trigger(cron).get_next_fire_time(None, start)
    return fire is not None and fire.date() == day
