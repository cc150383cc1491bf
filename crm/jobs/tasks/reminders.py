"""Officers' reminders: follow-ups due today, and target companies gone too long without contact."""
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from crm.agenda import followups
from crm.auth.models import User
from crm.companies.models import Company, ContactLog
from crm.core import settings
from crm.core.permissions import Role
from crm.extensions import db
from crm.jobs import notify
from crm.jobs.kinds import FOLLOW_UP, STALE_TARGET
from crm.jobs.tasks.recipients import active_user_ids

STALE_DAYS = settings.declare("jobs.stale_days", 30)


REPEAT_DAYS = settings.declare("jobs.follow_up_repeat_days", [3, 7, 14])  # days overdue: remind again
ESCALATE_DAYS = settings.declare("jobs.follow_up_escalate_days", 21)  # days overdue: tell the officer's manager
LATE_RUN_GRACE = 2  # a step still fires up to two days late (the scheduler was down), never for older ones


def _due_step(overdue: int, steps) -> int | None:
    """The step (days overdue) this follow-up reached within the grace days, if any."""
    reached = [step for step in steps if step <= overdue <= step + LATE_RUN_GRACE]
    return max(reached) if reached else None


def _open_follow_ups(today: date) -> list[tuple]:
    """(log id, owner id, company id, company name, next step or summary, due date) of every open follow-up."""
    query = (followups.open_follow_ups(due_by=today)
             .with_only_columns(ContactLog.id, followups.owner_id(), Company.id, Company.name,
                                func.coalesce(func.nullif(ContactLog.next_step, ""), ContactLog.summary),
                                ContactLog.next_follow_up)
             .order_by(ContactLog.id))
    return [tuple(row) for row in db.session.execute(query)]


def _managers_of(officer_ids: set[int]) -> dict[int, list[int]]:
    """officer id -> the active managers of the officer's unit; all active managers when the unit has none."""
    units = dict(db.session.execute(select(User.id, User.unit).where(User.id.in_(officer_ids or {-1}))).all())
    managers = db.session.execute(select(User.id, User.unit).where(User.role == Role.manager,
                                                                   User.active.is_(True))).all()
    everyone = [m for m, _unit in managers]
    return {o: [m for m, unit in managers if units.get(o) and unit == units[o]] or everyone for o in officer_ids}


def _officer_messages(row: tuple, today: date, steps: list[int]) -> list[notify.Message]:
    """On the due day, and again at each step of days overdue."""
    log_id, officer_id, company_id, name, step_text, due = row
    overdue, link, body = (today - due).days, f"/companies/{company_id}", step_text or ""
    messages = []
    if overdue == 0:
        messages.append(notify.Message(officer_id, FOLLOW_UP, _("今日跟进：%(company)s", company=name), body, link,
                                       f"follow_up_reminders:{today.isoformat()}:log:{log_id}"))
    step = _due_step(overdue, steps)
    if step is not None:
        title = _("跟进已逾期 %(days)s 天：%(company)s", days=overdue, company=name)
        messages.append(notify.Message(officer_id, FOLLOW_UP, title, body, link,
                                       f"follow_up_overdue:{step}:log:{log_id}"))
    return messages


def _escalations(row: tuple, today: date, escalate: int, managers: list[int]) -> list[notify.Message]:
    log_id, officer_id, company_id, name, step_text, due = row
    overdue = (today - due).days
    if not escalate or _due_step(overdue, [escalate]) is None:
        return []
    title = _("%(officer)s 的跟进已逾期 %(days)s 天：%(company)s", officer=db.session.get(User, officer_id).name,
              days=overdue, company=name)
    return [notify.Message(manager_id, FOLLOW_UP, title, step_text or "", f"/companies/{company_id}",
                           f"follow_up_escalated:log:{log_id}:user:{manager_id}")
            for manager_id in managers if manager_id != officer_id]


def follow_up_reminders(*, today: date, now: datetime) -> int:
    """Open follow-ups (no later contact by the officer or the officer's unit): a reminder on the due day, again
    when 3, 7 and 14 days overdue (settings), and to the officer's manager when 21 days overdue."""
    rows = _open_follow_ups(today)
    active = active_user_ids(row[1] for row in rows)
    rows = [row for row in rows if row[1] in active]
    steps = sorted(int(d) for d in settings.get(REPEAT_DAYS) or [])
    escalate = int(settings.get(ESCALATE_DAYS) or 0)
    managers = _managers_of({row[1] for row in rows}) if escalate else {}
    created = 0
    for row in rows:
        for message in (*_officer_messages(row, today, steps), *_escalations(row, today, escalate,
                                                                              managers.get(row[1], []))):
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
