"""What a leader asks first, for the manager's home page: this year's rates against the targets, the late
projects and the open supervision items."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from crm.agenda.home import open_supervisions
from crm.extensions import db
from crm.metrics import cache
from crm.metrics.cohort import Cohort, scoped
from crm.metrics.definitions import COUNTS, RATES
from crm.metrics.figures import compute
from crm.metrics.queries import late_projects
from crm.metrics.targets import Progress, progress, year_cohort
from crm.projects.models import Project

LEADER_RATES = ("performance_rate", "start_rate", "production_rate", "funds_arrival_rate")
SHOWN = 5


@dataclass
class LeaderView:
    year: int
    cohort: Cohort
    rates: list[tuple[str, object, dict]]  # (key, label, {numerator, denominator, value})
    targets: list[Progress]
    late: list[Project]
    late_total: int
    supervisions_open: int
    supervisions_overdue: int


def _figures(cohort: Cohort) -> dict:
    return cache.data.get(("figures", cache.cohort_key(cohort)), lambda: compute(cohort))


def leader_view(user, today: date) -> LeaderView:
    everything = Cohort(user=user, today=today)
    year = year_cohort(everything, today.year)
    figures = _figures(year)
    late_condition = COUNTS["late"][1](everything)
    late_total = db.session.scalar(scoped(select(func.count()).select_from(Project).where(late_condition),
                                          everything))
    supervisions = open_supervisions(user).subquery()
    open_count, overdue = db.session.execute(
        select(func.count(), func.count().filter(supervisions.c.due_date < today)).select_from(supervisions)).one()
    return LeaderView(
        year=today.year, cohort=year,
        rates=[(key, RATES[key].label, figures["rates"][key]) for key in LEADER_RATES],
        targets=progress(year, today.year, figures=figures),
        late=late_projects(everything, limit=SHOWN), late_total=int(late_total or 0),
        supervisions_open=int(open_count), supervisions_overdue=int(overdue))
