"""审核: managers approve or return what park staff reported; only approved facts count in the rates."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from crm.core import audit
from crm.core.errors import ServiceError
from crm.core.permissions import Role, has_role
from crm.extensions import db
from crm.projects.models import FundsEntry, Project, ReviewStatus, StageChange
from crm.projects.services import restore_change


def _require_reviewer(actor) -> None:
    if not has_role(actor, Role.manager):
        raise ServiceError(_("只有领导可以审核。"), status=403, code="forbidden")


def _require_pending(item) -> None:
    if item.review_status != ReviewStatus.pending:
        raise ServiceError(_("该记录已审核过。"), status=409)


def _mark(item, status: str, *, actor, comment: str, now: datetime) -> None:
    item.review_status, item.reviewed_by_id, item.reviewed_at = status, actor.id, now
    item.review_comment = (comment or "").strip()[:2000]


def _pending_of(project_id: int) -> list[StageChange]:
    return db.session.scalars(select(StageChange).where(StageChange.project_id == project_id,
                                                        StageChange.review_status == ReviewStatus.pending)
                              .order_by(StageChange.id)).all()


def approve_change(change: StageChange, *, actor, comment: str = "", now: datetime) -> None:
    """Approving a move also approves the earlier pending moves it builds on; counted_stage follows."""
    _require_reviewer(actor)
    _require_pending(change)
    project = db.session.get(Project, change.project_id)
    for item in _pending_of(project.id):
        if item.id <= change.id:
            _mark(item, ReviewStatus.approved, actor=actor, comment=comment if item is change else "", now=now)
    project.counted_stage = change.to_stage
    audit.record("review.approve", change, actor=actor, summary=f"{change.from_stage} → {change.to_stage}")


def return_change(change: StageChange, *, actor, comment: str, now: datetime) -> None:
    """A returned move is taken back, with the later pending moves that built on it."""
    _require_reviewer(actor)
    _require_pending(change)
    if not (comment or "").strip():
        raise ServiceError(_("退回时请说明原因。"), {"comment": _("必填")}, status=422)
    project = db.session.get(Project, change.project_id)
    for item in reversed(_pending_of(project.id)):
        if item.id >= change.id:
            restore_change(project, item)
            _mark(item, ReviewStatus.returned, actor=actor, comment=comment, now=now)
    audit.record("review.return", change, actor=actor, summary=comment[:200])


def approve_funds(entry: FundsEntry, *, actor, comment: str = "", now: datetime) -> None:
    _require_reviewer(actor)
    _require_pending(entry)
    _mark(entry, ReviewStatus.approved, actor=actor, comment=comment, now=now)
    audit.record("review.approve", entry, actor=actor, summary=str(entry.amount))


def return_funds(entry: FundsEntry, *, actor, comment: str, now: datetime) -> None:
    _require_reviewer(actor)
    _require_pending(entry)
    if not (comment or "").strip():
        raise ServiceError(_("退回时请说明原因。"), {"comment": _("必填")}, status=422)
    _mark(entry, ReviewStatus.returned, actor=actor, comment=comment, now=now)
    audit.record("review.return", entry, actor=actor, summary=comment[:200])
