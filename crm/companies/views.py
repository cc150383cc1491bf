"""Company pages."""
from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("companies", __name__, url_prefix="/companies")


@bp.get("/")
@login_required
def index():
    return render_template("placeholder.html")
