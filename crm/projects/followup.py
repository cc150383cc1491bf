"""Problems (问题清单), supervision items (督办) and the task/responsibility lists of big projects."""
from datetime import date, datetime

from flask_babel import gettext as _

from crm.auth.models import User
from crm.core import audit
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.core.params import EARLIEST, LATEST, parse_date, parse_int
from crm.core.permissions import Role, has_role
from crm.extensions import db
from crm.projects.models import PROBLEM_CATEGORIES, Problem, ProblemStatus, Project, ProjectTask, Supervision


def _date(value, field: str, *, latest: date = LATEST) -> date | None:
    if value in (None, ""):
        return None
    try:
        return parse_date(value, high=latest)
    except ValueError as exc:
        raise ServiceError(_("日期格式应为 YYYY-MM-DD，且在 %(low)s 至 %(high)s 之间。", low=EARLIEST, high=latest),
                           {field: _("日期无效")}, status=422) from exc


def _text(values: dict, field: str, limit: int, *, required: bool = False) -> str:
    value = values.get(field)
    if value is not None and not isinstance(value, str):
        raise ServiceError(_("字段类型错误。"), {field: _("应为文本")}, status=422)
    text = (value or "").strip()
    if required and not text:
        raise ServiceError(_("请填写必填字段。"), {field: _("必填")}, status=422)
    if len(text) > limit:
        raise ServiceError(_("文本过长。"), {field: _("不超过 %(n)s 个字符", n=limit)}, status=422)
    return text


def can_follow_up(user) -> bool:
    """Raise problems and add tasks and responsibilities: every role that works on projects."""
    return has_role(user, Role.manager, Role.officer, Role.park_staff)


def can_open_supervision(user) -> bool:
    return has_role(user, Role.manager)


def raise_problem(project: Project, *, actor, values: dict, now: datetime) -> Problem:
    if not can_follow_up(actor):
        raise ServiceError(_("您没有权限提出问题。"), status=403, code="forbidden")
    category = values.get("category") or "其他"
    if category not in PROBLEM_CATEGORIES:
        raise ServiceError(_("问题类别无效。"), {"category": "、".join(PROBLEM_CATEGORIES)}, status=422)
    today = local_today(now)
    problem = Problem(project_id=project.id, description=_text(values, "description", 5000, required=True),
                      category=category, raised_by_id=actor.id,
                      raised_on=_date(values.get("raised_on"), "raised_on", latest=today) or today,
                      responsible_unit=_text(values, "responsible_unit", 120),
                      due_date=_date(values.get("due_date"), "due_date"), status=ProblemStatus.open)
    db.session.add(problem)
    db.session.flush()
    audit.record("problem.create", problem, actor=actor, summary=problem.description[:200])
    return problem


def update_problem(problem: Problem, *, actor, status: str, resolution: str = "", now: datetime) -> None:
    if status not in set(ProblemStatus):
        raise ServiceError(_("状态无效。"), {"status": _("状态无效")}, status=422)
    before = audit.snapshot(problem, ["status", "resolution"])
    problem.status = status
    problem.resolution = (resolution or problem.resolution).strip()[:5000]
    problem.resolved_on = local_today(now) if status in (ProblemStatus.solved, ProblemStatus.cannot_solve) else None
    audit.record("problem.update", problem, actor=actor, changes=audit.diff(problem, ["status", "resolution"], before))


def open_supervision(project: Project, *, actor, values: dict, now: datetime) -> Supervision:
    if not can_open_supervision(actor):
        raise ServiceError(_("只有领导可以发起督办。"), status=403, code="forbidden")
    try:
        owner_id = parse_int(values.get("owner_id"), low=1)
    except ValueError:
        owner_id = None
    if owner_id is None or db.session.get(User, owner_id) is None:
        raise ServiceError(_("请选择督办责任人。"), {"owner_id": _("必填")}, status=422)
    item = Supervision(project_id=project.id, instruction=_text(values, "instruction", 5000, required=True),
                       leader=_text(values, "leader", 80), owner_id=owner_id,
                       due_date=_date(values.get("due_date"), "due_date"), created_by_id=actor.id,
                       created_at=now, updated_at=now)
    db.session.add(item)
    db.session.flush()
    audit.record("supervision.create", item, actor=actor, summary=item.instruction[:200])
    return item


def close_supervision(item: Supervision, *, actor, note: str, now: datetime) -> None:
    if not (has_role(actor, Role.manager) or item.owner_id == actor.id):
        raise ServiceError(_("只有领导或责任人可以办结督办。"), status=403, code="forbidden")
    if item.closed_at is not None:
        raise ServiceError(_("该督办已办结。"), status=409)
    item.closed_at = now
    item.closing_note = (note or "").strip()[:5000]
    audit.record("supervision.close", item, actor=actor, summary=item.closing_note[:200])


def add_task(project: Project, *, actor, values: dict) -> ProjectTask:
    if not can_follow_up(actor):
        raise ServiceError(_("您没有权限。"), status=403, code="forbidden")
    kind = values.get("kind") if values.get("kind") in ("task", "responsibility") else "task"
    task = ProjectTask(project_id=project.id, kind=kind, description=_text(values, "description", 5000, required=True),
                       owner=_text(values, "owner", 120), due_date=_date(values.get("due_date"), "due_date"))
    db.session.add(task)
    db.session.flush()
    audit.record("project_task.create", task, actor=actor, summary=task.description[:200])
    return task


def toggle_task(task: ProjectTask, *, actor) -> None:
    task.done = not task.done
    audit.record("project_task.update", task, actor=actor, changes={"done": [not task.done, task.done]})
