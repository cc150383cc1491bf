"""Daily: the policy clauses' duties coming due become reminders for the unit responsible, each occurrence once."""
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Text, cast, select
from sqlalchemy.orm import selectinload

from crm.core.permissions import Role
from crm.extensions import db
from crm.jobs import notify
from crm.jobs.dbutil import insert_ignore
from crm.jobs.kinds import POLICY_DUTY
from crm.jobs.tasks.recipients import active_ids, park_staff_by_park
from crm.parks.models import Park
from crm.policies.duties import due_soon
from crm.policies.models import PolicyClause, PolicyDutyReminder


def _recipients(unit: str, staff: dict[int, set[int]], parks: dict[str, int]) -> list[int]:
    """province: the managers and admins; park:CODE: that park's staff (with its key park's)."""
    if unit.startswith("park:"):
        return sorted(staff.get(parks.get(unit.removeprefix("park:"), 0), set()))
    return sorted({*active_ids(Role.manager), *active_ids(Role.admin)})


def policy_duty_reminders(*, today: date, now: datetime) -> int:
    clauses = db.session.scalars(select(PolicyClause).where(cast(PolicyClause.duties, Text) != "[]").options(
        selectinload(PolicyClause.document))).all()
    staff, parks = park_staff_by_park(), dict(db.session.execute(select(Park.code, Park.id)).all())
    created = 0
    for clause in clauses:
        if clause.document.expired(today):
            continue  # a document no longer in force asks nothing more
        for due in due_soon(clause.duties, today):
            if not insert_ignore(PolicyDutyReminder, {"clause_id": clause.id, "due_on": due.due_on,
                                                      "duty": due.index, "notified": 0},
                                 ["clause_id", "due_on", "duty"]):
                continue  # this occurrence was reminded already
            for user_id in _recipients(due.unit, staff, parks):
                message = notify.Message(
                    user_id, POLICY_DUTY, _("政策到期事项：%(title)s（%(due)s）", title=due.title, due=due.due_on),
                    clause.citation, f"/policies/{clause.document_id}#clause-{clause.id}",
                    f"policy_duty:{clause.id}:{due.index}:{due.due_on.isoformat()}:user:{user_id}")
                created += notify.create(message, now=now)
    db.session.flush()
    return created
