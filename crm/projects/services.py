"""Project verbs: create, edit with a version check, move between stages with their facts, undo."""
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from stdnum.cn import uscc

from crm.core import audit, settings
from crm.core.errors import ServiceError
from crm.core.formatting import local_today, parse_money
from crm.core.params import EARLIEST, parse_int
from crm.core.permissions import Role, has_role
from crm.events.models import Event
from crm.extensions import db
from crm.projects.models import REVIEW_ENABLED, Project, ReviewStatus, StageChange
from crm.projects.stages import PATH, REQUIRED_FACTS, SIGNED_OR_LATER, STAGE_LABELS, Stage, is_allowed, skipped

DATE_FACTS = {"negotiating_date", "signed_date", "preparing_date", "started_date", "producing_date",
              "dropped_date", "registered_date"}
TEXT_FACTS = {"dropped_reason": 2000, "local_credit_code": 18}
FACT_FIELDS = DATE_FACTS | set(TEXT_FACTS) | {"agreed_investment", "event_id"}
STAGE_DATE = {stage: facts[0] for stage, facts in REQUIRED_FACTS.items() if facts}
OFFICER_TARGETS = (Stage.negotiating, Stage.signed, Stage.dropped)
PARK_STAFF_TARGETS = (Stage.preparing, Stage.started, Stage.producing, Stage.dropped)


def can_move(user, project: Project, to: str) -> bool:
    return can_move_from(user, project.stage, to)


def can_move_from(user, stage: str, to: str) -> bool:
    """Officers work up to signing; park staff from signing on (never into 签约); managers everything."""
    if has_role(user, Role.manager):
        return True
    if user.role == Role.officer:
        return stage in (Stage.lead, Stage.negotiating) and to in OFFICER_TARGETS
    if user.role == Role.park_staff:
        return stage in SIGNED_OR_LATER and to in PARK_STAFF_TARGETS
    return False


def needs_review(actor) -> bool:
    return bool(settings.get(REVIEW_ENABLED)) and getattr(actor, "role", "") == Role.park_staff


def needed_facts(from_stage: str, to: str) -> list[str]:
    """The facts a move asks for: the target's and those of every stage it jumps over."""
    fields = [f for stage in [*skipped(Stage(from_stage), Stage(to)), Stage(to)] for f in REQUIRED_FACTS[stage]]
    return list(dict.fromkeys(fields))


def _coerce(field: str, value, today: date):
    """Parse one fact; a ValueError carries the message shown beside the field."""
    if field in DATE_FACTS:
        return _past_date(value, today)
    if field == "agreed_investment":
        amount = _money(value)
        if amount is None or amount <= 0:
            raise ValueError(_("应为正数（万元）"))
        return amount
    if field == "event_id":
        try:
            event_id = parse_int(value, low=1)
        except ValueError:
            event_id = None
        if event_id is None or db.session.get(Event, event_id) is None:
            raise ValueError(_("展会活动不存在"))
        return event_id
    text = str(value).strip()
    if field == "local_credit_code" and text and not uscc.is_valid(text):
        raise ValueError(_("统一社会信用代码无效"))
    return text[: TEXT_FACTS[field]]


def _past_date(value, today: date) -> date:
    try:
        parsed = value if isinstance(value, date) else date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValueError(_("日期格式应为 YYYY-MM-DD")) from exc
    if parsed > today:
        raise ValueError(_("日期不能晚于今天"))
    if parsed < EARLIEST:
        raise ValueError(_("日期不能早于 %(d)s", d=EARLIEST))
    return parsed


def _money(value) -> Decimal | None:
    try:
        return parse_money(value)
    except ValueError as exc:
        raise ValueError(_("金额无效（万元）")) from exc


def clean_facts(facts: dict, today: date) -> dict:
    """Known facts parsed to dates, Decimals and ids; every bad one reported by its field."""
    cleaned, errors = {}, {}
    for field, value in facts.items():
        if field not in FACT_FIELDS or value in (None, ""):
            continue
        try:
            cleaned[field] = _coerce(field, value, today)
        except (ValueError, TypeError) as exc:
            errors[field] = str(exc)
    if errors:
        raise ServiceError(_("请更正标出的事实。"), errors, status=422)
    return cleaned


def _check_missing(project: Project, to: str, cleaned: dict) -> None:
    if "agreed_investment" not in cleaned and project.agreed_investment:
        cleaned["agreed_investment"] = project.agreed_investment  # agreed when the project was entered
    missing = [f for f in needed_facts(project.stage, to) if f not in cleaned]
    if missing:
        raise ServiceError(_("跳过的阶段也需要填写其事实：%(f)s", f="、".join(missing)),
                           {f: _("必填") for f in missing}, status=422, code="missing_facts")


def _check_order(project: Project, to: str, cleaned: dict) -> None:
    """Each stage's date is on or after the date of the stage before it."""
    reached = PATH[: PATH.index(Stage(to)) + 1] if to in PATH else PATH[: PATH.index(Stage(project.stage)) + 1]
    previous: date | None = None
    for stage in [*reached, *([Stage.dropped] if to == Stage.dropped else [])]:
        field = STAGE_DATE.get(stage)
        value = cleaned.get(field, getattr(project, field)) if field else None
        if value is None:
            continue
        if previous is not None and value < previous and field in cleaned:
            raise ServiceError(_("日期不能早于上一阶段的日期（%(d)s）。", d=previous.isoformat()),
                               {field: _("早于上一阶段")}, status=422)
        previous = value


def advance_stage(project: Project, to: str, *, actor, facts: dict, comment: str = "", now: datetime) -> StageChange:
    if to not in set(Stage):
        raise ServiceError(_("未知阶段：%(s)s", s=to), {"to": _("未知阶段")}, status=422)
    if not is_allowed(Stage(project.stage), Stage(to)):
        raise ServiceError(_("不能从“%(a)s”变更为“%(b)s”。", a=STAGE_LABELS[Stage(project.stage)],
                             b=STAGE_LABELS[Stage(to)]), {"to": _("不允许的阶段变更")}, status=422)
    if not can_move(actor, project, to):
        raise ServiceError(_("您的角色不能把项目变更到该阶段。"), status=403, code="forbidden")
    cleaned = clean_facts(facts, local_today(now))
    _check_missing(project, to, cleaned)
    _check_order(project, to, cleaned)
    # Read the review setting before the project changes: a query after the facts are set would flush them in
    # an UPDATE of their own, and the stage in a second one (two statements and two versions for one move).
    review_status = ReviewStatus.pending if needs_review(actor) else ReviewStatus.approved
    previous = {f: _plain(getattr(project, f)) for f in cleaned}
    for field, value in cleaned.items():
        setattr(project, field, value)
    change = StageChange(project_id=project.id, from_stage=project.stage, to_stage=to, actor_id=actor.id,
                         fact_date=cleaned.get(STAGE_DATE[Stage(to)]), comment=comment.strip()[:2000], at=now,
                         facts={**{f: _plain(v) for f, v in cleaned.items()}, "previous": previous})
    change.review_status = review_status
    project.stage = to
    if change.review_status == ReviewStatus.approved:
        project.counted_stage = to
    project.updated_by_id = actor.id
    db.session.add(change)
    db.session.flush()
    changes = {"stage": [change.from_stage, to], **{f: [previous[f], _plain(v)] for f, v in cleaned.items()}}
    audit.record("project.stage", project, actor=actor, summary=f"{change.from_stage} → {to}", changes=changes)
    return change


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def last_undoable(project: Project, history: list[StageChange] | None = None) -> StageChange | None:
    """The latest change still in force that a manager may take back; `history` (the project's changes in id
    order, as the project page has them) saves reading them again."""
    if history is None:
        history = db.session.scalars(select(StageChange).where(StageChange.project_id == project.id)
                                     .order_by(StageChange.id)).all()
    changes = sorted(history, key=lambda change: change.id, reverse=True)
    undone = {c.facts.get("undoes") for c in changes if c.is_undo}
    return next((c for c in changes if not c.is_undo and c.id not in undone and c.to_stage == project.stage
                 and c.review_status != ReviewStatus.returned), None)


def undo_last_stage(project: Project, *, actor, now: datetime) -> StageChange:
    """Managers take back the last move; the undo is itself a recorded stage change."""
    if not has_role(actor, Role.manager):
        raise ServiceError(_("只有领导可以撤销阶段变更。"), status=403, code="forbidden")
    last = last_undoable(project)
    if last is None:
        raise ServiceError(_("没有可撤销的阶段变更。"), status=422)
    restore_change(project, last)
    if last.review_status == ReviewStatus.pending:
        last.review_status = ReviewStatus.returned
        last.review_comment = _("已撤销")
    undo = StageChange(project_id=project.id, from_stage=last.to_stage, to_stage=last.from_stage, actor_id=actor.id,
                       at=now, is_undo=True, facts={"undoes": last.id}, comment=_("撤销上一次阶段变更"))
    db.session.add(undo)
    db.session.flush()
    audit.record("project.stage_undo", project, actor=actor, summary=f"{last.to_stage} → {last.from_stage}",
                 changes={"stage": [last.to_stage, last.from_stage]})
    return undo


def restore_change(project: Project, change: StageChange) -> None:
    """Put back the stage and the facts a change set, as they were before it."""
    for field, value in (change.facts.get("previous") or {}).items():
        if field in DATE_FACTS:
            value = date.fromisoformat(value) if value else None
        elif field == "agreed_investment":
            value = Decimal(value) if value else None
        elif field in TEXT_FACTS:
            value = value or ""
        setattr(project, field, value)
    project.stage = change.from_stage
    if project.counted_stage == change.to_stage:
        project.counted_stage = change.from_stage


REGISTRATION_STAGES = (Stage.preparing, Stage.started, Stage.producing)  # 注册落地 belongs to 前期 and after


def can_record_registration(user) -> bool:
    return has_role(user, Role.manager) or user.role == Role.park_staff


def record_registration(project: Project, *, actor, registered_date, local_credit_code: str, now: datetime) -> None:
    """注册落地 of the local company, part of 前期 (preparatory work)."""
    if project.stage not in REGISTRATION_STAGES:
        raise ServiceError(_("注册落地在“前期”阶段及以后登记。"), status=422)
    if not can_record_registration(actor):
        raise ServiceError(_("您没有权限登记注册落地。"), status=403, code="forbidden")
    cleaned = clean_facts({"registered_date": registered_date, "local_credit_code": local_credit_code},
                          local_today(now))
    if set(cleaned) != {"registered_date", "local_credit_code"}:
        raise ServiceError(_("请填写注册日期和统一社会信用代码。"),
                           {f: _("必填") for f in ("registered_date", "local_credit_code") if f not in cleaned},
                           status=422)
    before = audit.snapshot(project, list(cleaned))
    for field, value in cleaned.items():
        setattr(project, field, value)
    project.updated_by_id = actor.id
    audit.record("project.registration", project, actor=actor, changes=audit.diff(project, list(cleaned), before))
