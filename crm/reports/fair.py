"""The report on one fair edition: what was signed there and how it is doing today."""
from sqlalchemy import select

from crm.companies.models import Company
from crm.extensions import db
from crm.metrics import cache
from crm.metrics.cohort import Cohort, in_stages, scoped, signed_cohort
from crm.metrics.figures import compute
from crm.metrics.queries import open_problems_by_project
from crm.parks.models import Park
from crm.projects.models import Project
from crm.projects.stages import Stage


def waiting_projects(cohort: Cohort) -> list:
    """Signed projects not started yet, newest signing first: the columns the report shows, not entities."""
    query = (select(Project.id, Project.name, Company.name.label("company_name"), Park.name.label("park_name"),
                    Project.counted_stage, Project.planned_start_date, Project.agreed_investment)
             .join(Company, Company.id == Project.company_id).join(Park, Park.id == Project.park_id)
             .where(signed_cohort(cohort), in_stages(Stage.signed, Stage.preparing)))
    query = scoped(query, cohort).order_by(Project.signed_date.desc().nulls_last(), Project.id.desc())
    return list(db.session.execute(query))


def fair_report(event_id: int, *, user, today) -> dict:
    cohort = Cohort(event_id=event_id, user=user, today=today)
    rows = waiting_projects(cohort)
    figures = cache.data.get(("figures", cache.cohort_key(cohort)), lambda: compute(cohort))
    return {"cohort": cohort, "figures": figures, "waiting": rows,
            "problems": open_problems_by_project([p.id for p in rows])}
