"""/api/v1/match: parks for a company (described or by id), companies for a park's chain link."""
from datetime import date

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from crm.api.base import api_blueprint, field_str, json_body
from crm.core.errors import APIError
from crm.core.params import parse_int
from crm.extensions import db
from crm.matching import queries, serialise
from crm.matching.scoring import CompanyProfile

bp = api_blueprint("matching_api", __name__)
MAX_TOP = 50


def _top(default: int) -> int:
    try:
        return min(MAX_TOP, max(1, parse_int(request.args.get("top", str(default)))))
    except ValueError as exc:
        raise APIError(422, "invalid", _("top 应为正整数。"), {"top": _("应为正整数")}) from exc


def _as_of() -> date | None:
    """?as_of=yyyy-mm-dd: rank as on that day (the park pictures then in force, the projects signed before it)."""
    value = request.args.get("as_of", "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise APIError(422, "invalid", _("as_of 应为日期 yyyy-mm-dd。"), {"as_of": _("应为 yyyy-mm-dd")}) from exc


def _ranking_json(ranking: queries.ParkRanking) -> dict:
    items = [serialise.park_match(m, rank) for rank, m in enumerate(ranking.matches, 1)]
    return {"items": items, "total": len(items), "page": 1, "per_page": len(items), "warnings": ranking.warnings,
            "warning_clauses": serialise.warning_clauses(ranking.warnings)}


@bp.post("/match/parks")
def parks_for_description():
    data = json_body()
    industry = field_str(data, "industry", 80)
    profile = CompanyProfile(name=field_str(data, "name", 200), industry=industry, industry_text=industry,
                             main_business=field_str(data, "main_business", 5000),
                             gbt_code=field_str(data, "industry_code", 5).upper())
    if not (profile.name or profile.main_business or profile.industry):
        raise APIError(422, "invalid", _("请至少提供企业名称、行业或主营业务之一。"),
                       {"main_business": _("必填")})
    return jsonify(_ranking_json(queries.parks_for_profile(profile, _top(5), user=current_user, as_of=_as_of())))


@bp.get("/match/parks")
def parks_for_company():
    try:
        company_id = parse_int(request.args.get("company", ""), low=1)
    except ValueError as exc:
        raise APIError(422, "invalid", _("请提供企业编号 company。"), {"company": _("必填")}) from exc
    profile = queries.company_profile(company_id, user=current_user)
    if profile is None:  # absent and out of the user's scope look the same
        raise APIError(404, "not_found", _("找不到该企业。"))
    return jsonify(_ranking_json(queries.parks_for_profile(profile, _top(5), user=current_user, as_of=_as_of())))


@bp.get("/match/companies")
def companies_for_link():
    park = queries.park_profile(request.args.get("park", "").strip())
    if park is None:
        raise APIError(404, "not_found", _("找不到该园区。"), {"park": _("园区代码不存在")})
    try:
        link_ids = [parse_int(request.args["link"], low=1)] if request.args.get("link") else \
            [link.id for link in park.links]
    except ValueError as exc:
        raise APIError(422, "invalid", _("link 应为环节编号。"), {"link": _("应为整数")}) from exc
    if any(link_id not in {link.id for link in park.links} for link_id in link_ids):
        raise APIError(404, "not_found", _("该园区没有这个产业链环节。"), {"link": _("不存在")})
    items = []
    for link_id in link_ids:
        matches = queries.companies_for_link(link_id, _top(20), user=current_user)
        projects = queries.projects_at_park(park.id, [m.company.id for m in matches], current_user)
        items += [dict(serialise.company_match(m, rank, projects.get(m.company.id, [])), link_id=link_id)
                  for rank, m in enumerate(matches, 1)]
    # Keeps company terms recomputed on the way (as the link panel does): otherwise every request would
    # recompute the same stale companies again and write them again, only to roll back.
    db.session.commit()
    return jsonify({"items": items, "total": len(items), "page": 1, "per_page": len(items)})
