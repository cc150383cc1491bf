"""Notification centre, preferences, and the admins' job history and schedule pages."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.core.db import utcnow
from crm.core.formatting import local_today
from crm.core.htmx import redirect_to, render
from crm.core.pagination import page_args, paginate
from crm.core.permissions import Role, roles_required
from crm.extensions import db
from crm.jobs import notify, queries, services
from crm.jobs.forms import preferences_form, schedule_form
from crm.jobs.kinds import KINDS, label
from crm.jobs.models import Notification
from crm.jobs.registry import JOBS, cron_of
from crm.jobs.runner import run_job
from crm.jobs.unread import remember_unread, unread_known

bp = Blueprint("jobs", __name__, url_prefix="/notifications")


@bp.app_context_processor
def notification_helpers():
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        cached = unread_known()
        if cached is None:
            cached = remember_unread(queries.unread_count(current_user))
        return cached

    def recent_notifications(limit: int = 5) -> list[Notification]:
        if not current_user.is_authenticated:
            return []
        return list(db.session.scalars(queries.notifications_for(current_user, "unread").limit(limit)))

    return {"unread_notifications": unread_notifications, "recent_notifications": recent_notifications,
            "notification_kind_label": label}


@bp.get("/")
@login_required
def index():
    status = request.args.get("status", "")
    page = paginate(db.session, queries.notifications_for(current_user, status), *page_args(30))
    return render("jobs/index.html", "jobs/_list.html", notes=page, show=status)


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    if not notify.mark_read(current_user, notification_id, now=utcnow()):
        abort(404)
    db.session.commit()
    link = db.session.get(Notification, notification_id).link
    if request.form.get("open") and link.startswith("/") and not link.startswith("//"):
        return redirect_to(link)
    return redirect_to(url_for("jobs.index", status=request.form.get("status", "")))


@bp.post("/read-all")
@login_required
def read_all():
    count = notify.mark_all_read(current_user, now=utcnow())
    db.session.commit()
    flash(_("已将 %(n)s 条通知标为已读。", n=count), "success")
    return redirect_to(url_for("jobs.index"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    form = preferences_form({kind: notify.delivery(current_user.id, kind) for kind in KINDS})
    if form.validate_on_submit():
        notify.save_preferences(current_user, {kind: (form[f"{kind}__in_app"].data, form[f"{kind}__email"].data)
                                               for kind in KINDS})
        db.session.commit()
        flash(_("通知偏好已保存。"), "success")
        return redirect(url_for("jobs.preferences"))
    return render_template("jobs/preferences.html", form=form, kinds=KINDS)


@bp.get("/admin/jobs")
@roles_required(Role.admin)
def job_history():
    job = request.args.get("job", "") if request.args.get("job", "") in JOBS else ""
    page = paginate(db.session, queries.job_runs(job), *page_args(50))
    return render_template("jobs/admin_jobs.html", page=page, job=job, jobs=JOBS)


@bp.post("/admin/jobs/<name>/run")
@roles_required(Role.admin)
def run_now(name: str):
    if name not in JOBS:
        abort(404)
    record = run_job(name, today=local_today(utcnow()), trigger="admin", holder=current_user.username)
    outcome = record.outcome if record else "ok"
    flash(_("任务 %(name)s 已运行：%(outcome)s", name=name, outcome=outcome),
          "danger" if outcome == "failed" else "success")
    return redirect(url_for("jobs.job_history", job=name))


@bp.route("/admin/schedule", methods=["GET", "POST"])
@roles_required(Role.admin)
def schedule():
    form = schedule_form(services.current_schedule())
    if form.validate_on_submit():
        services.save_schedule({name: form[name].data for name in services.current_schedule()}, actor=current_user)
        db.session.commit()
        flash(_("任务计划已保存；调度进程将在 5 分钟内按新计划运行。"), "success")
        return redirect(url_for("jobs.schedule"))
    crons = {name: cron_of(name) for name in JOBS}
    return render_template("jobs/admin_schedule.html", form=form, jobs=JOBS, crons=crons,
                           last=queries.last_runs()), 422 if form.errors else 200
