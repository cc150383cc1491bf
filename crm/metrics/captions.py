"""A cohort's filters as a sentence for captions (园区 南川工业园区；签约日期 2025-01-01 至 2025-12-31)."""
from flask_babel import gettext as _
from sqlalchemy import select

from crm.auth.models import User
from crm.events.models import Event
from crm.extensions import db
from crm.metrics.cohort import Cohort
from crm.parks.models import Industry, Park


def cohort_caption(cohort: Cohort) -> str:
    parts = []
    if cohort.park:
        name = db.session.scalar(select(Park.name).where(Park.code == cohort.park)) or cohort.park
        parts.append(_("园区 %(name)s（含所属基地）", name=name))
    for key, model, label in ((cohort.event_id, Event, _("展会")), (cohort.industry_id, Industry, _("产业"))):
        if key:
            parts.append(f"{label} {db.session.scalar(select(model.name).where(model.id == key)) or key}")
    if cohort.officer_id:
        user = db.session.get(User, cohort.officer_id)
        parts.append(_("招商专员 %(name)s", name=(user.display_name or user.username) if user else cohort.officer_id))
    start, end = cohort.signed_from, cohort.signed_to
    if start and end:
        parts.append(_("签约日期 %(a)s 至 %(b)s", a=start.isoformat(), b=end.isoformat()))
    elif start:
        parts.append(_("签约日期 %(a)s 起", a=start.isoformat()))
    elif end:
        parts.append(_("签约日期 %(b)s 止", b=end.isoformat()))
    return "；".join(parts)
