"""Project pages."""
from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("projects", __name__, url_prefix="/projects")


@bp.get("/")
@login_required
def index():
    return render_template("placeholder.html")
