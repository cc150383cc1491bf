"""Event pages: the list, an event with its signed projects, the event form and bulk signing entry."""
from flask import Blueprint, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.core.forms import show_errors, status_of
from crm.core.htmx import redirect_to
from crm.core.permissions import Role, roles_required
from crm.events import bulk, queries, services
from crm.events.forms import BulkForm, EventForm
from crm.events.models import Event
from crm.extensions import db
from crm.metrics.cohort import Cohort
from crm.metrics.dashboard import DrillLinks
from crm.metrics.definitions import RATES
from crm.metrics.figures import compute
from crm.projects.stages import STAGE_LABELS

bp = Blueprint("events", __name__, url_prefix="/events")


def _event(event_id: int) -> Event:
    return db.get_or_404(Event, event_id)


@bp.get("/")
@login_required
def index():
    events = db.session.scalars(queries.events_query()).all()
    counts = queries.signing_counts(current_user, [e.id for e in events])
    return render_template("events/index.html", events=events, counts=counts)


@bp.get("/<int:event_id>")
@login_required
def detail(event_id: int):
    event = _event(event_id)
    projects = db.session.scalars(queries.event_projects(current_user, event.id)).all()
    count, total = queries.signing_counts(current_user, [event.id]).get(event.id, (0, 0))
    cohort = Cohort(event_id=event.id, user=current_user, today=local_today(utcnow()))
    return render_template("events/detail.html", event=event, projects=projects, count=count, total=total,
                           stages=STAGE_LABELS, figures=compute(cohort), rates=RATES, cohort=cohort,
                           drill=DrillLinks())


@bp.route("/new", methods=["GET", "POST"], defaults={"event_id": None})
@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@roles_required(Role.manager, Role.officer)
def edit(event_id: int | None):
    event = _event(event_id) if event_id else None
    form = EventForm(obj=event)
    form.type_id.choices = [(t.id, t.name) for t in queries.event_types()]
    if form.validate_on_submit():
        try:
            values = {k: v for k, v in form.data.items() if k != "csrf_token"}
            event = services.save_event(event, actor=current_user, values=values)
            db.session.commit()
            flash(_("已保存。"), "success")
            return redirect_to(url_for("events.detail", event_id=event.id))
        except ServiceError as error:
            db.session.rollback()
            show_errors(form, error)
    return render_template("events/form.html", form=form, event=event), status_of(form)


@bp.route("/<int:event_id>/bulk", methods=["GET", "POST"])
@roles_required(Role.manager, Role.officer)
def bulk_entry(event_id: int):
    """First a preview of each row's fate; the confirmed post writes the good rows in one transaction."""
    event = _event(event_id)
    form = BulkForm()
    rows = []
    if form.validate_on_submit():
        now = utcnow()
        rows = bulk.plan(bulk.parse(form.rows.data), event, local_today(now))
        if form.confirm.data == "1":
            projects = bulk.apply(rows, event, actor=current_user, now=now)
            db.session.commit()
            skipped = sum(1 for r in rows if not r.ok)
            flash(_("已创建 %(n)s 个签约项目；%(s)s 行有错误未写入。", n=len(projects), s=skipped), "success")
            return redirect_to(url_for("events.detail", event_id=event.id))
    return render_template("events/bulk.html", event=event, form=form, rows=rows,
                           preview=request.method == "POST")
