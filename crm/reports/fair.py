"""The report on one fair edition: what was signed there and how it is doing today."""
from sqlalchemy import and_
from sqlalchemy.orm import joinedload

from crm.extensions import db
from crm.metrics.cohort import Cohort, in_stages, projects, signed_cohort
from crm.metrics.figures import compute
from crm.metrics.queries import open_problems_by_project
from crm.projects.models import Project
from crm.projects.stages import Stage


def fair_report(event_id: int, *, user, today) -> dict:
    cohort = Cohort(event_id=event_id, user=user, today=today)
    waiting = projects(cohort, and_(signed_cohort(cohort), in_stages(Stage.signed, Stage.preparing)))
    rows = list(db.session.scalars(waiting.options(joinedload(Project.company), joinedload(Project.park))).unique())
    return {"cohort": cohort, "figures": compute(cohort), "waiting": rows,
            "problems": open_problems_by_project([p.id for p in rows])}
