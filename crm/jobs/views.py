"""Notifications and job history."""
from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("jobs", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index():
    return render_template("placeholder.html")
