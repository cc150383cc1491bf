"""Matching pages: try a company description, a link's panel on the chain map, one-click leads."""
from flask import Blueprint, abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.companies.models import Company
from crm.core.db import utcnow
from crm.core.htmx import redirect_to, render
from crm.core.params import parse_int
from crm.core.permissions import Role, has_role, roles_required
from crm.extensions import db
from crm.matching import queries, services
from crm.matching.classify import suggester
from crm.matching.scoring import SUGGESTED_CODE_MINIMUM, CompanyProfile
from crm.projects.stages import STAGE_LABELS

bp = Blueprint("matching", __name__, url_prefix="/matching")
LEAD_ROLES = (Role.manager, Role.officer)


@bp.app_template_global()
def match_parks_for(company, top: int = 5) -> queries.ParkRanking:
    """Used by the fragments the company page and the new-project form include."""
    if company is None:
        return queries.ParkRanking([], [])
    if isinstance(company, dict):
        fields = {k: str(company.get(k) or "") for k in ("name", "industry", "main_business")}
        return queries.parks_for_profile(CompanyProfile(**fields), top, user=current_user)
    return queries.parks_for_company(company, top, user=current_user)


@bp.app_template_global()
def suggest_industry_code(*texts):
    """The GB/T 4754-2017 code the engine would infer from these words (shown for a person to confirm)."""
    words = " ".join(t for t in texts if t)
    found = suggester().suggest(words, 1) if words.strip() else []
    return found[0][0] if found and found[0][1] >= SUGGESTED_CODE_MINIMUM else None


@bp.get("/")
@login_required
def index():
    fields = {k: request.args.get(k, "").strip()[:2000] for k in ("name", "industry", "main_business")}
    ranking = None
    if any(fields.values()):
        ranking = queries.parks_for_profile(CompanyProfile(**fields), 8, user=current_user)
    return render("matching/index.html", "matching/_park_results.html", fields=fields, ranking=ranking)


@bp.get("/companies/<int:company_id>")
@login_required
def company_parks(company_id: int):
    """The parks that fit one company: the company page's card fetches it when it comes into view (the
    ranking is the page's costliest part and not what an officer logging a call came for); a page of its own
    without script."""
    profile = queries.company_profile(company_id, user=current_user)
    if profile is None:
        abort(404)  # absent and forbidden look the same
    return render("matching/company.html", "matching/_park_list.html", company=profile,
                  ranking=queries.parks_for_profile(profile, user=current_user))


def link_context(link_id: int, top: int = 20) -> dict:
    found = queries.find_link(link_id)
    if found is None:
        abort(404)
    park, link = found
    states = queries.link_states(park, current_user)
    matches = queries.companies_for_link(link_id, top, user=current_user)
    projects = queries.projects_at_park(park.id, [m.company.id for m in matches], current_user)
    # no state for another park's link: its projects are not the viewer's to see
    return {"park": park, "link": link, "state": states.get(link.id), "matches": matches, "projects": projects,
            "stage_labels": STAGE_LABELS, "can_lead": has_role(current_user, *LEAD_ROLES)}


@bp.get("/links/<int:link_id>")
@login_required
def link_panel(link_id: int):
    context = link_context(link_id)
    db.session.commit()  # keeps company terms recomputed on the way (stale ones are refreshed lazily)
    return render("matching/link.html", "matching/_link_panel.html", **context)


@bp.post("/leads")
@roles_required(*LEAD_ROLES)
def create_lead():
    try:
        company_id, link_id = parse_int(request.form["company_id"], low=1), parse_int(request.form["link_id"], low=1)
    except (KeyError, ValueError):
        abort(400)
    if db.session.get(Company, company_id) is None:
        abort(404)
    project = services.create_lead(company_id=company_id, link_id=link_id, actor=current_user, now=utcnow())
    db.session.commit()
    context = link_context(link_id)
    context["message"] = _("已转为线索：%(name)s", name=project.name)
    if request.headers.get("HX-Request") == "true":
        return render("matching/link.html", "matching/_link_panel.html", **context)
    return redirect_to(url_for("matching.link_panel", link_id=link_id))
