"""Event pages."""
from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.get("/")
@login_required
def index():
    return render_template("placeholder.html")
