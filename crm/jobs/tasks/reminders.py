"""Officers' reminders: follow-ups due today, and target companies gone too long without contact."""
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from crm.companies.models import Company, ContactLog
from crm.core import settings
from crm.extensions import db
from crm.jobs import notify
from crm.jobs.kinds import FOLLOW_UP, STALE_TARGET
from crm.jobs.tasks.recipients import active_user_ids

STALE_DAYS = settings.declare("jobs.stale_days", 30)


def follow_up_reminders(*, today: date, now: datetime) -> int:
    """One notification per contact log whose next follow-up is today, to its officer."""
    rows = db.session.execute(
        select(ContactLog.id, func.coalesce(ContactLog.officer_id, Company.officer_id), Company.id, Company.name,
               ContactLog.next_step, ContactLog.summary)
        .join(Company, Company.id == ContactLog.company_id)
        .where(ContactLog.next_follow_up == today, Company.merged_into_id.is_(None))
        .order_by(ContactLog.id)).all()
    active = active_user_ids(row[1] for row in rows)
    created = 0
    for log_id, officer_id, company_id, name, next_step, summary in rows:
        if officer_id not in active:
            continue
        message = notify.Message(
            user_id=officer_id, kind=FOLLOW_UP, title=_("今日跟进：%(company)s", company=name),
            body=next_step or summary or "", link=f"/companies/{company_id}",
            dedupe_key=f"follow_up_reminders:{today.isoformat()}:log:{log_id}")
        created += notify.create(message, now=now)
    return created


def week_label(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def stale_targets(*, today: date, now: datetime) -> int:
    """Companies with an officer and no contact for N days (or never, N days after creation); once a week."""
    days = int(settings.get(STALE_DAYS))
    cutoff = today - timedelta(days=days)
    created_before = datetime.combine(cutoff, time.min, tzinfo=UTC)
    rows = db.session.execute(
        select(Company.id, Company.name, Company.officer_id, Company.last_contact_on)
        .where(Company.officer_id.is_not(None), Company.merged_into_id.is_(None),
               or_(Company.last_contact_on < cutoff,
                   Company.last_contact_on.is_(None) & (Company.created_at < created_before)))
        .order_by(Company.id)).all()
    active = active_user_ids(row[2] for row in rows)
    created = 0
    for company_id, name, officer_id, last in rows:
        if officer_id not in active:
            continue
        if last is None:
            title = _("%(company)s 从未联系", company=name)
        else:
            title = _("%(company)s 已 %(days)s 天未联系", company=name, days=(today - last).days)
        message = notify.Message(
            user_id=officer_id, kind=STALE_TARGET, title=title,
            body=_("超过 %(days)s 天没有接洽记录，请安排联系。", days=days), link=f"/companies/{company_id}",
            dedupe_key=f"stale_targets:{week_label(today)}:company:{company_id}:user:{officer_id}")
        created += notify.create(message, now=now)
    return created
