"""Home page: last sign-in, and the items each domain contributes for this user."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

bp = Blueprint("home", __name__)


@bp.get("/")
def root():
    return redirect(url_for("home.index") if current_user.is_authenticated else url_for("auth.login"))


@bp.get("/home")
@login_required
def index():
    return render_template("home/index.html")
