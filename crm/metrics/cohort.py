"""A cohort of projects (park, fair, industry, officer, signing period) as SQL conditions over Project.

The aggregates and the drill-down lists both build their WHERE clauses here, so a list's count equals
the figure it explains by construction. Park staff are narrowed to their parks through crm.core.scope.
"""
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Select, and_, false, or_, select

from crm.core.scope import scope_to_parks, visible_park_ids
from crm.parks.models import Park
from crm.projects.models import Project
from crm.projects.stages import SIGNED_OR_LATER, STARTED_OR_LATER, Stage


@dataclass(frozen=True)
class Cohort:
    park: str = ""  # park code; a key park includes its bases
    event_id: int | None = None
    industry_id: int | None = None
    officer_id: int | None = None
    signed_from: date | None = None
    signed_to: date | None = None
    user: object = None  # whose park scope applies; None means no narrowing (CLI, jobs)
    today: date | None = None  # for "late" projects; the caller passes it instead of reading the clock

    def last_year(self) -> "Cohort":
        """The same filters one year earlier, for "change against the same period last year"."""
        return replace(self, signed_from=_year_before(self.signed_from), signed_to=_year_before(self.signed_to))

    def args(self) -> dict:
        """The filters as URL query arguments (the dashboard and drill-down share them)."""
        values = {"park": self.park, "event": self.event_id, "industry": self.industry_id,
                  "officer": self.officer_id, "from": self.signed_from, "to": self.signed_to}
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items() if v not in (None, "")}


def _year_before(day: date | None) -> date | None:
    if day is None:
        return None
    return day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=day.year - 1)


def park_ids_clause(code: str):
    """Projects of the park with this code or of its bases (a key park's figures include its bases).

    One IN over the park ids (not "= park OR IN bases"): both databases then read the projects through
    the park index instead of testing every project.
    """
    park = select(Park.id).where(Park.code == code).scalar_subquery()
    return Project.park_id.in_(select(Park.id).where(or_(Park.code == code, Park.parent_id == park)))


def dimension_filters(cohort: Cohort) -> list:
    """The filters that do not depend on dates: park (with bases), fair, industry, officer."""
    clauses = []
    if cohort.park:
        clauses.append(park_ids_clause(cohort.park))
    if cohort.event_id is not None:
        clauses.append(Project.event_id == cohort.event_id)
    if cohort.industry_id is not None:
        clauses.append(Project.industry_id == cohort.industry_id)
    if cohort.officer_id is not None:
        clauses.append(Project.officer_id == cohort.officer_id)
    return clauses


def in_period(column, cohort: Cohort):
    clauses = [column.is_not(None)]
    if cohort.signed_from:
        clauses.append(column >= cohort.signed_from)
    if cohort.signed_to:
        clauses.append(column <= cohort.signed_to)
    return and_(*clauses)


def has_signed():
    """Counted as signed: a counted stage at or after signing, or dropped after a signing date."""
    return or_(Project.counted_stage.in_(SIGNED_OR_LATER),
               and_(Project.counted_stage == Stage.dropped, Project.signed_date.is_not(None)))


def signed_cohort(cohort: Cohort):
    """The denominator of 履约率/开工率 and 资金到位率: signed in the period; dropped ones stay in it."""
    return and_(has_signed(), in_period(Project.signed_date, cohort))


def reached_negotiation(cohort: Cohort):
    """签约率's denominator: projects counted past 线索 whose negotiation or signing date is in the period."""
    return and_(Project.counted_stage != Stage.lead,
                or_(in_period(Project.negotiating_date, cohort), in_period(Project.signed_date, cohort)))


def in_stages(*stages):
    return Project.counted_stage.in_(stages)


def started_or_later():
    return in_stages(*STARTED_OR_LATER)


def scoped(query: Select, cohort: Cohort) -> Select:
    """Dimension filters plus the viewer's park scope; every metric query passes through here."""
    query = query.where(*dimension_filters(cohort))
    if cohort.user is None:
        return query
    return scope_to_parks(query, Project.park_id, cohort.user)


def project_ids(cohort: Cohort) -> Select:
    """The ids of the projects the filters and the scope leave (for rows that belong to a project)."""
    return scoped(select(Project.id), cohort)


def narrows_projects(cohort: Cohort) -> bool:
    """Whether scoped() adds any condition: when not, a funds query needs no join to projects."""
    return bool(dimension_filters(cohort)) or (cohort.user is not None and visible_park_ids(cohort.user) is not None)


def projects(cohort: Cohort, *clauses) -> Select:
    """The projects of the cohort matching `clauses` (a drill-down list), newest signing first."""
    query = select(Project).where(*clauses) if clauses else select(Project)
    return scoped(query, cohort).order_by(Project.signed_date.desc().nulls_last(), Project.id.desc())


NOTHING = false()
