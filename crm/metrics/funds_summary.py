"""Keep metric_project_funds (counted funds to date per project) equal to the funds entries.

Refreshed on write: after every flush that touched a funds entry, the totals of those projects are
recomputed in the same transaction (so a figure read right after a write is already fresh); a change of
the counted sources or uses rebuilds the whole table. Bulk loads that bypass the ORM rebuild it with
`crm metrics refresh` (the monthly snapshot job rebuilds it too).
"""
from sqlalchemy import delete, event, func, insert, select
from sqlalchemy.orm import Session

from crm.core.settings import Setting
from crm.metrics import freshness
from crm.metrics.definitions import COUNTED_SOURCES, COUNTED_USES, counted_funds
from crm.metrics.models import ProjectFunds
from crm.projects.models import FundsEntry

COUNTING_SETTINGS = {COUNTED_SOURCES, COUNTED_USES}


def refresh(session, project_ids=None) -> None:
    """Recompute the totals of `project_ids` (all projects when None) from the counted funds entries."""
    totals = select(FundsEntry.project_id, func.sum(FundsEntry.amount)).where(*counted_funds())
    clear = delete(ProjectFunds)
    if project_ids is not None:
        ids = sorted(project_ids)
        if not ids:
            return
        totals, clear = totals.where(FundsEntry.project_id.in_(ids)), clear.where(ProjectFunds.project_id.in_(ids))
    freshness.mark_changed(session)  # Core statements: the flush listeners do not see them
    connection = session.connection()
    connection.execute(clear)
    connection.execute(insert(ProjectFunds).from_select(["project_id", "total"],
                                                        totals.group_by(FundsEntry.project_id)))


def _touched(session) -> tuple[set[int], bool]:
    """(project ids whose funds changed, whether the counting rules changed) in this flush."""
    ids, everything = set(), False
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, FundsEntry) and obj.project_id is not None:
            ids.add(obj.project_id)
        elif isinstance(obj, Setting) and obj.key in COUNTING_SETTINGS:
            everything = True
    return ids, everything


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context) -> None:
    ids, everything = _touched(session)
    if everything:
        refresh(session)
    elif ids:
        refresh(session, ids)
