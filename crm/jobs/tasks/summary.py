"""Monday's summary for each manager: last week's contact logs, new projects and stage changes."""
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.companies.models import ContactLog
from crm.core.formatting import LOCAL_ZONE
from crm.core.permissions import Role
from crm.extensions import db
from crm.jobs import notify
from crm.jobs.kinds import WEEKLY_SUMMARY
from crm.jobs.tasks.recipients import active_ids
from crm.projects.models import Project, StageChange
from crm.projects.stages import STAGE_LABELS


def _utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_ZONE).astimezone(UTC)


def week_figures(start: date, end: date) -> dict:
    """Counts for the local days start..end inclusive."""
    since, until = _utc(start), _utc(end + timedelta(days=1))
    logs = db.session.scalar(select(func.count()).select_from(ContactLog)
                             .where(ContactLog.date >= start, ContactLog.date <= end))
    projects = db.session.scalar(select(func.count()).select_from(Project)
                                 .where(Project.created_at >= since, Project.created_at < until))
    changes = dict(db.session.execute(
        select(StageChange.to_stage, func.count()).where(StageChange.at >= since, StageChange.at < until,
                                                         StageChange.is_undo.is_(False))
        .group_by(StageChange.to_stage)).all())
    return {"logs": logs or 0, "projects": projects or 0, "changes": changes}


def summary_text(figures: dict) -> str:
    lines = [_("新增接洽记录 %(n)s 条", n=figures["logs"]), _("新增项目 %(n)s 个", n=figures["projects"])]
    changes = figures["changes"]
    if changes:
        parts = "、".join(f"{STAGE_LABELS.get(stage, stage)} {n}" for stage, n in sorted(changes.items()))
        lines.append(_("阶段变更 %(n)s 次（%(parts)s）", n=sum(changes.values()), parts=parts))
    else:
        lines.append(_("阶段变更 0 次"))
    return "\n".join(lines)


def weekly_summary(*, today: date, now: datetime) -> int:
    """Summarises the Monday-to-Sunday week before the week of `today`."""
    start = today - timedelta(days=today.weekday() + 7)
    end = start + timedelta(days=6)
    body = summary_text(week_figures(start, end))
    title = _("上周工作汇总（%(start)s 至 %(end)s）", start=start.isoformat(), end=end.isoformat())
    created = 0
    for user_id in active_ids(Role.manager):
        message = notify.Message(user_id, WEEKLY_SUMMARY, title, body, "/dashboard/",
                                 f"weekly_summary:{start.isoformat()}:user:{user_id}")
        created += notify.create(message, now=now)
    return created
