"""Park pages: the tree of key parks and bases, and each park's positioning and chains."""
from flask import Blueprint, render_template
from flask_login import login_required

from crm.core.scope import get_visible_or_404
from crm.extensions import db
from crm.parks.queries import park_by_code, parks_with_chains

bp = Blueprint("parks", __name__, url_prefix="/parks")


@bp.get("/")
@login_required
def index():
    parks = db.session.scalars(parks_with_chains()).all()
    key_parks = [p for p in parks if p.parent is None]
    return render_template("parks/index.html", key_parks=key_parks)


@bp.get("/<code>")
@login_required
def detail(code: str):
    park = get_visible_or_404(db.session, park_by_code(code))
    return render_template("parks/detail.html", park=park)
