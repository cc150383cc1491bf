"""Home page: last sign-in, the user's agenda (跟进 / 项目预警 / 督办), a manager's figures, and the cards each
domain contributes."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from crm.agenda import home as agenda
from crm.agenda.leader import leader_view
from crm.core.db import utcnow
from crm.core.formatting import local_today
from crm.core.pagination import page_args, paginate
from crm.core.permissions import Role
from crm.extensions import db

bp = Blueprint("home", __name__)


@bp.get("/")
def root():
    return redirect(url_for("home.index") if current_user.is_authenticated else url_for("auth.login"))


@bp.get("/home")
@login_required
def index():
    today = local_today(utcnow())
    leader = leader_view(current_user, today) if current_user.role == Role.manager else None
    return render_template("home/index.html", today=today, groups=agenda.groups_for(current_user, today),
                           leader=leader)


@bp.get("/home/supervisions")
@login_required
def supervisions():
    """Every open supervision item of the home page's 督办 group, due today or overdue first."""
    today = local_today(utcnow())
    query = agenda.open_supervisions(current_user)
    page = paginate(db.session, agenda.ordered_supervisions(query, today), *page_args())
    return render_template("home/supervisions.html", page=page, today=today)
