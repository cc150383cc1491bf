"""Dashboard pages."""
from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("metrics", __name__, url_prefix="/dashboard")


@bp.get("/")
@login_required
def dashboard():
    return render_template("placeholder.html")
