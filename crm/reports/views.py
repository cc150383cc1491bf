"""Ledger and report exports."""
from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.get("/")
@login_required
def index():
    return render_template("placeholder.html")
