"""Lateness warnings on signed projects, and each project's red/yellow/green status from the same dates."""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, select, update

from crm.core import audit, settings
from crm.core.permissions import Role
from crm.extensions import db
from crm.jobs import notify
from crm.jobs.kinds import ACTION_TODAY, LATENESS
from crm.jobs.tasks.recipients import active_ids, active_user_ids, park_staff_by_park
from crm.jobs.tasks.reminders import week_label
from crm.projects.models import FundsEntry, Problem, ProblemStatus, Project, Supervision
from crm.projects.stages import SIGNED_OR_LATER, STARTED_OR_LATER, Stage

YELLOW_DAYS = settings.declare("jobs.yellow_days", 30)
RED_DAYS = settings.declare("jobs.red_days", 90)
FUNDS_REPORT_DAY = settings.declare("jobs.funds_report_day", 10)  # last month's report is due by this day

NOT_STARTED = (Stage.signed, Stage.preparing)
NOT_PRODUCING = (Stage.signed, Stage.preparing, Stage.started)


@dataclass
class Alert:
    project: Project
    condition: str  # late_start / late_production / funds_missing / problem / supervision
    target: str  # what the warning is about, in the dedupe key: project:12, problem:7 ...
    period: str  # a week (repeated weekly) or a month (funds reports)
    title: str
    extra_users: tuple[int, ...] = ()


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _late_dates(today: date) -> Iterator[Alert]:
    week = week_label(today)
    late_start = select(Project).where(Project.stage.in_(NOT_STARTED), Project.planned_start_date < today)
    for p in db.session.scalars(late_start.order_by(Project.id)):
        days = (today - p.planned_start_date).days
        yield Alert(p, "late_start", f"project:{p.id}", week,
                    _("%(name)s 已超过计划开工日期 %(days)s 天", name=p.name, days=days))
    late_prod = select(Project).where(Project.stage.in_(NOT_PRODUCING), Project.planned_production_date < today)
    for p in db.session.scalars(late_prod.order_by(Project.id)):
        days = (today - p.planned_production_date).days
        yield Alert(p, "late_production", f"project:{p.id}", week,
                      _("%(name)s 已超过计划投产日期 %(days)s 天", name=p.name, days=days))


def _missing_funds(today: date) -> Iterator[Alert]:
    if today.day < int(settings.get(FUNDS_REPORT_DAY)):
        return
    month = previous_month(today)
    reported = exists().where(FundsEntry.project_id == Project.id, FundsEntry.period == month)
    query = select(Project).where(Project.stage.in_(STARTED_OR_LATER), ~reported).order_by(Project.id)
    for p in db.session.scalars(query):
        yield Alert(p, "funds_missing", f"project:{p.id}", month.strftime("%Y-%m"),
                      _("%(name)s 未报送 %(month)s 到位资金", name=p.name, month=month.strftime("%Y-%m")))


def _overdue_items(today: date) -> Iterator[Alert]:
    week = week_label(today)
    problems = (select(Problem).join(Problem.project)
                .where(Problem.due_date < today, Problem.status.in_((ProblemStatus.open, ProblemStatus.in_hand)),
                       Project.stage != Stage.dropped).order_by(Problem.id))
    for item in db.session.scalars(problems):
        yield Alert(item.project, "problem", f"problem:{item.id}", week,
                      _("%(name)s 的问题已逾期：%(text)s", name=item.project.name, text=item.description[:60]))
    supervisions = (select(Supervision).join(Supervision.project)
                    .where(Supervision.due_date < today, Supervision.closed_at.is_(None),
                           Project.stage != Stage.dropped).order_by(Supervision.id))
    for item in db.session.scalars(supervisions):
        yield Alert(item.project, "supervision", f"supervision:{item.id}", week,
                      _("%(name)s 的督办事项已逾期：%(text)s", name=item.project.name, text=item.instruction[:60]),
                      extra_users=(item.owner_id,) if item.owner_id else ())


def lateness_warnings(*, today: date, now: datetime) -> int:
    """Record the warnings for the officer, the park's staff and the managers (their daily digest lists them);
    then set each project's status colour."""
    staff, managers = park_staff_by_park(), active_ids(Role.manager)
    created = 0
    for alert in (*_late_dates(today), *_missing_funds(today), *_overdue_items(today)):
        project = alert.project
        users = {*active_user_ids((project.officer_id, *alert.extra_users)), *staff.get(project.park_id, ()),
                 *managers}
        for user_id in sorted(users):
            key = f"lateness_warnings:{alert.period}:{alert.condition}:{alert.target}:user:{user_id}"
            # the owner of an overdue supervision item must act on it: a notification of its own; everyone
            # else reads the warning in their daily digest
            kind = ACTION_TODAY if user_id in alert.extra_users else LATENESS
            created += notify.create(notify.Message(user_id, kind, alert.title, project.name,
                                                    f"/projects/{project.id}", key), now=now)
    set_status_colours(today)
    return created


def colour_for(project: Project, today: date, yellow: int, red: int) -> str:
    """Red or yellow by the days past a planned date not yet reached; green otherwise; none before signing."""
    if project.stage not in SIGNED_OR_LATER:
        return ""
    late = 0
    if project.stage in NOT_STARTED and project.planned_start_date:
        late = max(late, (today - project.planned_start_date).days)
    if project.stage in NOT_PRODUCING and project.planned_production_date:
        late = max(late, (today - project.planned_production_date).days)
    return "red" if late >= red else "yellow" if late >= yellow else "green"


def set_status_colours(today: date) -> int:
    """Bulk UPDATEs (no version bump: a user editing a project is not interrupted by the job)."""
    yellow, red = int(settings.get(YELLOW_DAYS)), int(settings.get(RED_DAYS))
    rows = db.session.execute(select(Project.id, Project.stage, Project.status_color, Project.planned_start_date,
                                     Project.planned_production_date).order_by(Project.id)).all()
    changes: dict[int, list[str]] = {}
    for row in rows:
        colour = colour_for(row, today, yellow, red)
        if colour != row.status_color:
            changes[row.id] = [row.status_color, colour]
    for colour in {new for _old, new in changes.values()}:
        ids = [pid for pid, (_old, new) in changes.items() if new == colour]
        db.session.execute(update(Project).where(Project.id.in_(ids)).values(status_color=colour)
                           .execution_options(synchronize_session=False))
    if changes:
        audit.record("project.status_color", object_type="projects", summary=f"{len(changes)} 个项目预警颜色更新",
                     changes={str(k): v for k, v in changes.items()})
    return len(changes)
