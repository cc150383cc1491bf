"""Why a filter combination holds no signed project: what each filter alone would hold, in sentences."""
from dataclasses import replace

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.auth.models import User
from crm.events.models import Event
from crm.extensions import db
from crm.metrics.cohort import Cohort, scoped, signed_cohort
from crm.parks.models import Industry, Park
from crm.projects.models import Project


def _signed(cohort: Cohort) -> tuple[int, object, object]:
    """(signed projects, first and last signing date) of the cohort, within the viewer's scope."""
    query = select(func.count(), func.min(Project.signed_date), func.max(Project.signed_date)).where(
        signed_cohort(cohort))
    n, first, last = db.session.execute(scoped(query, cohort)).one()
    return int(n), first, last


def _held(n: int, first, last) -> str:
    if not n:
        return _("没有签约项目")
    return _("共 %(n)s 个签约项目（签约日期 %(first)s 至 %(last)s）", n=n, first=first, last=last)


def _period(cohort: Cohort) -> str:
    return _("签约日期 %(first)s 至 %(last)s", first=cohort.signed_from or "…", last=cohort.signed_to or "…")


def _dimensions(cohort: Cohort) -> list[tuple[str, Cohort]]:
    """(the filter in words, a cohort of that filter alone) for each filter besides the dates."""
    alone = Cohort(user=cohort.user, today=cohort.today)
    found = []
    if cohort.park:
        name = db.session.scalar(select(Park.name).where(Park.code == cohort.park)) or cohort.park
        found.append((_("园区「%(name)s」", name=name), replace(alone, park=cohort.park)))
    if cohort.event_id is not None:
        name = db.session.scalar(select(Event.name).where(Event.id == cohort.event_id)) or cohort.event_id
        found.append((_("展会「%(name)s」", name=name), replace(alone, event_id=cohort.event_id)))
    if cohort.industry_id is not None:
        name = db.session.scalar(select(Industry.name).where(Industry.id == cohort.industry_id)) or cohort.industry_id
        found.append((_("产业「%(name)s」", name=name), replace(alone, industry_id=cohort.industry_id)))
    if cohort.officer_id is not None:
        user = db.session.get(User, cohort.officer_id)
        found.append((_("招商专员「%(name)s」", name=user.name if user else cohort.officer_id),
                      replace(alone, officer_id=cohort.officer_id)))
    return found


def why_empty(cohort: Cohort, signed: int) -> list[str]:
    """Sentences saying what each filter alone holds, when the combination has no signed project; else []."""
    if signed:
        return []
    reasons = []
    if cohort.signed_from or cohort.signed_to:
        dates_alone = Cohort(signed_from=cohort.signed_from, signed_to=cohort.signed_to, user=cohort.user)
        reasons.append(f"{_period(cohort)}：{_held(*_signed(dates_alone))}")
    for words, alone in _dimensions(cohort):
        reasons.append(f"{words}：{_held(*_signed(alone))}")
    return reasons
