"""/api/v1 endpoints of the land domain: carriers, their moves, supplies to projects (same services as pages)."""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from crm.api.base import api_blueprint, json_body, paginated
from crm.core.db import utcnow
from crm.core.errors import APIError
from crm.core.formatting import local_today
from crm.core.scope import get_visible_or_404
from crm.extensions import db
from crm.land import efficiency, matching, needs, queries, serialise, services
from crm.land.models import Carrier, CarrierKind, CarrierStatus
from crm.land.values import number
from crm.projects.models import Project
from crm.projects.queries import project_by_id, visible_projects

bp = api_blueprint("land_api", __name__)


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise APIError(409, "stale", _("记录已被他人修改，请刷新后重试。")) from exc


def _carrier(carrier_id: int) -> Carrier:
    return get_visible_or_404(db.session, queries.carrier_by_id(current_user, carrier_id))


def _project(project_id: int):
    return get_visible_or_404(db.session, project_by_id(current_user, project_id))


def _filters() -> queries.CarrierFilters:
    args, errors = request.args, {}
    park_id = None
    if args.get("park"):
        park = queries.park_by_code(args["park"])
        park_id = park.id if park else -1  # an unknown park lists nothing
    if args.get("kind") and args["kind"] not in set(CarrierKind):
        errors["kind"] = _("应为 land、factory 或 building")
    if args.get("status") and args["status"] not in set(CarrierStatus):
        errors["status"] = _("未知的状态")
    try:
        min_area = number(args.get("min_area"))
    except ValueError:
        errors["min_area"], min_area = _("应为数字"), None
    if errors:
        raise APIError(422, "invalid", _("筛选条件无效。"), errors)
    return queries.CarrierFilters(park_id, args.get("kind", ""), args.get("status", ""), min_area)


@bp.get("/carriers")
def carriers():
    return paginated(queries.carrier_list(current_user, _filters()), serialise.carrier_json)


@bp.post("/carriers")
def create():
    data = json_body()
    park = services.find_park(data.get("park"))
    carrier = services.create_carrier(park=park, actor=current_user, values=data, today=local_today(utcnow()))
    _commit()
    return jsonify(serialise.carrier_json(_carrier(carrier.id))), 201


def _detail(carrier: Carrier) -> dict:
    return {**serialise.carrier_json(carrier),
            "history": [serialise.change_json(c) for c in queries.history(carrier.id)],
            "supplies": [serialise.supply_json(s) for s in queries.supplies_of_carrier(carrier.id)]}


@bp.get("/carriers/<int:carrier_id>")
def detail(carrier_id: int):
    return jsonify(_detail(_carrier(carrier_id)))


@bp.patch("/carriers/<int:carrier_id>")
def update(carrier_id: int):
    carrier = _carrier(carrier_id)
    data = json_body()
    if data.get("version") in (None, ""):
        raise APIError(422, "invalid", _("请提供 version（乐观锁版本号）。"), {"version": _("必填")})
    services.update_carrier(carrier, actor=current_user, values=data, version=data["version"])
    _commit()
    return jsonify(_detail(_carrier(carrier_id)))


@bp.post("/carriers/<int:carrier_id>/transitions")
def transition(carrier_id: int):
    carrier = _carrier(carrier_id)
    data = json_body()
    change = services.move_carrier(carrier, str(data.get("to") or ""), fact_date=data.get("date"),
                                   actor=current_user, comment=str(data.get("comment") or ""))
    moved = serialise.change_json(change)
    _commit()
    return jsonify({**moved, "carrier": serialise.carrier_json(_carrier(carrier_id))}), 201


@bp.get("/projects/<int:project_id>/carriers")
def project_carriers(project_id: int):
    project = _project(project_id)
    supplies = queries.project_supplies(project.id)
    return jsonify({"items": [serialise.supply_json(s) for s in supplies],
                    **serialise.intensity_json(queries.project_intensity(project, supplies))})


@bp.post("/projects/<int:project_id>/carriers")
def supply(project_id: int):
    project = _project(project_id)
    data = json_body()
    carrier_id = data.get("carrier_id")
    if not str(carrier_id or "").isdigit():
        raise APIError(422, "invalid", _("请提供载体编号 carrier_id。"), {"carrier_id": _("必填")})
    carrier = _carrier(int(carrier_id))
    values = {**data, "supplied_on": data.get("supplied_on") or data.get("date")}
    found = services.supply_carrier(project, carrier, actor=current_user, values=values, now=utcnow())
    supply_id = found.id
    _commit()
    supplies = queries.project_supplies(project_id)
    created = next(s for s in supplies if s.id == supply_id)
    return jsonify({**serialise.supply_json(created),
                    **serialise.intensity_json(queries.project_intensity(_project(project_id), supplies))}), 201


def _figure_json(row) -> dict:
    return {"year": row.year, **{f: serialise.plain(getattr(row, f)) for f in efficiency.YEARLY_FIELDS}}


@bp.get("/projects/<int:project_id>/yearly")
def yearly_list(project_id: int):
    project = _project(project_id)
    return jsonify({"items": [_figure_json(r) for r in efficiency.yearly_of(project.id)]})


@bp.post("/projects/<int:project_id>/yearly")
def yearly_create(project_id: int):
    project = _project(project_id)
    row = efficiency.record_yearly(project, actor=current_user, values=json_body())
    found = _figure_json(row)
    _commit()
    return jsonify(found), 201


def _need_json(row) -> dict:
    return {name: serialise.plain(getattr(row, name)) for name in needs.NEED_FIELDS}


@bp.get("/projects/<int:project_id>/needs")
def need_detail(project_id: int):
    project = _project(project_id)
    row = needs.need_of(project.id)
    return jsonify(_need_json(row) if row else {})


@bp.post("/projects/<int:project_id>/needs")
def need_state(project_id: int):
    project = _project(project_id)
    found = _need_json(needs.state_need(project, actor=current_user, values=json_body()))
    _commit()
    return jsonify(found), 201


@bp.get("/projects/<int:project_id>/carrier-matches")
def carrier_matches(project_id: int):
    # the project alone: matching needs its own columns, not its company, park or officer
    project = get_visible_or_404(db.session, visible_projects(current_user).where(Project.id == project_id))
    need, found = matching.carrier_matches(project, current_user, needs.need_of(project.id))
    items = [{"rank": rank, "carrier": serialise.carrier_json(m.carrier, m.park_code), "park": m.park_code,
              "park_name": m.park_name, "reasons": m.reasons} for rank, m in enumerate(found, 1)]
    return jsonify({"items": items, "total": len(items), "page": 1, "per_page": len(items),
                    "need": None if need is None else {k: serialise.plain(v) for k, v in need.__dict__.items()}})
