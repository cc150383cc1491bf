"""The home page's three groups (跟进 / 项目预警 / 督办): what is due today or overdue first, the newest due first,
at most a screen of each, with how many there are in all and where the whole list is."""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload

from crm.agenda import followups
from crm.core.permissions import Role
from crm.core.scope import scope_to_parks
from crm.extensions import db
from crm.projects.models import Project, Supervision
from crm.projects.queries import BEFORE_SIGNED, BEFORE_STARTED, late_projects
from crm.projects.stages import Stage

SCREEN = 8  # items a group shows before "全部"


@dataclass
class Item:
    title: str
    url: str
    due: date | None
    note: str = ""

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


@dataclass
class Group:
    key: str  # follow_ups / warnings / supervisions
    label: str
    items: list[Item] = field(default_factory=list)
    total: int = 0
    all_url: str = ""
    empty: str = ""


def _count(query) -> int:
    return int(db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0)


def follow_up_group(user, today: date) -> Group:
    logs, total = followups.due_for(user, today=today, limit=SCREEN)
    items = [Item(log.company.name, f"/companies/{log.company_id}", log.next_follow_up, log.next_step or log.summary)
             for log in logs]
    return Group("follow_ups", _("跟进"), items, total, "/contacts/logs?mine=1&due=1", _("今天没有到期的跟进。"))


def _missed_date(today: date):
    """The planned date a late project missed most recently: signing, else start, else production."""
    return case((and_(Project.stage.in_(BEFORE_SIGNED), Project.planned_sign_date < today), Project.planned_sign_date),
                (and_(Project.stage.in_(BEFORE_STARTED), Project.planned_start_date < today),
                 Project.planned_start_date), else_=Project.planned_production_date)


def _what_was_missed(project: Project, today: date) -> str:
    if project.stage in BEFORE_SIGNED and project.planned_sign_date and project.planned_sign_date < today:
        return _("计划签约 %(d)s", d=project.planned_sign_date)
    if project.stage in BEFORE_STARTED and project.planned_start_date and project.planned_start_date < today:
        return _("计划开工 %(d)s", d=project.planned_start_date)
    return _("计划投产 %(d)s", d=project.planned_production_date)


def warning_group(user, today: date) -> Group:
    """Late projects the user answers for: an officer's own, park staff's parks', every one for a manager."""
    query = late_projects(user, today)
    link = "/projects/?late=1"
    if user.role == Role.officer:
        query, link = query.where(Project.officer_id == user.id), f"/projects/?late=1&officer={user.id}"
    total = _count(query)
    missed = _missed_date(today)
    rows = db.session.execute(query.with_only_columns(Project, missed.label("missed"))
                              .options(joinedload(Project.park)).order_by(missed.desc(), Project.id.desc())
                              .limit(SCREEN)).all()
    items = [Item(p.name, f"/projects/{p.id}", due, f"{p.park.name} · {_what_was_missed(p, today)}")
             for p, due in rows]
    return Group("warnings", _("项目预警"), items, total, link, _("没有进度滞后的项目。"))


def open_supervisions(user):
    """Open supervision items the user owns; a manager sees every open one (within the park scope)."""
    query = (select(Supervision).join(Supervision.project)
             .where(Supervision.closed_at.is_(None), Project.stage != Stage.dropped))
    if user.role != Role.manager:
        query = query.where(Supervision.owner_id == user.id)
    return scope_to_parks(query, Project.park_id, user)


def ordered_supervisions(query, today: date):
    """Due today or overdue first (newest due first), then the coming ones (soonest first), then undated."""
    due = Supervision.due_date
    bucket = case((due <= today, 0), (due.is_not(None), 1), else_=2)
    # within the first bucket every item has a date; elsewhere the key is NULL for all, so NULLs never mix
    return (query.options(joinedload(Supervision.project))
            .order_by(bucket, case((due <= today, due)).desc(), due, Supervision.id))


def supervision_group(user, today: date) -> Group:
    query = open_supervisions(user)
    rows = db.session.scalars(ordered_supervisions(query, today).limit(SCREEN))
    items = [Item(s.project.name, f"/projects/{s.project_id}#supervision", s.due_date, s.instruction) for s in rows]
    return Group("supervisions", _("督办"), items, _count(query), "/home/supervisions", _("没有未办结的督办事项。"))


def groups_for(user, today: date) -> list[Group]:
    """The groups a user's role works with: officers and managers follow companies up, everyone has 预警 and 督办."""
    found = []
    if user.role in (Role.officer, Role.manager):
        found.append(follow_up_group(user, today))
    if user.role in (Role.officer, Role.manager, Role.park_staff):
        found.append(warning_group(user, today))
    found.append(supervision_group(user, today))
    return found
