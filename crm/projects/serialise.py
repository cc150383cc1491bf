"""Projects and their records as JSON for the API (stage names as in the Words table)."""
from datetime import date
from decimal import Decimal

from crm.core.formatting import local_today
from crm.projects.models import FundsEntry, Problem, Project, StageChange
from crm.projects.queries import funds_arrived, funds_history, late_for, stage_history
from crm.projects.stages import STAGE_LABELS, Stage

FIELDS = ("content", "responsible_unit", "contact_leader", "leader_level", "reserve_level", "source", "notes",
          "jobs", "industry_id", "gbt_code", "link_id", "officer_id", "event_id", "local_credit_code", "dropped_reason")
MONEY = ("agreed_investment", "fixed_asset_investment", "land_mu", "planned_output", "energy_use")
DATES = ("negotiating_date", "signed_date", "preparing_date", "registered_date", "started_date", "producing_date",
         "dropped_date", "planned_sign_date", "planned_start_date", "planned_production_date")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


# The project columns a summary shows; rows of listing.summary_rows carry these plus company_name, park_code.
SUMMARY_COLUMNS = ("id", "name", "stage", "counted_stage", "company_id", "version", *FIELDS, *MONEY, *DATES)


def project_summary(project: Project, now) -> dict:
    """A Project entity's summary (its company and park loaded)."""
    values = {name: getattr(project, name) for name in SUMMARY_COLUMNS}
    return summary_json(values, project.company.name if project.company else "",
                        project.park.code if project.park else None, local_today(now))


def summary_row_json(row, today: date) -> dict:
    """The same summary from a row of listing.summary_rows (read as a dict: a row's attributes cost more)."""
    values = row._asdict()
    return summary_json(values, values["company_name"] or "", values["park_code"], today)


def summary_json(values: dict, company_name: str, park_code: str | None, today: date) -> dict:
    stage = values["stage"]
    data = {"id": values["id"], "name": values["name"], "stage": stage, "stage_label": STAGE_LABELS[Stage(stage)],
            "counted_stage": values["counted_stage"], "company": {"id": values["company_id"], "name": company_name},
            "park": park_code, "version": values["version"],
            "is_late": late_for(stage, values["planned_sign_date"], values["planned_start_date"],
                                values["planned_production_date"], today)}
    data.update({f: values[f] for f in FIELDS})
    data.update({f: _money(values[f]) for f in MONEY})
    data.update({f: _date(values[f]) for f in DATES})
    return data


def project_detail(project: Project, problems: list[Problem], now) -> dict:
    arrived = funds_arrived(project.id)
    rate = None
    if project.agreed_investment:
        rate = f"{(arrived / project.agreed_investment):.4f}"
    return {**project_summary(project, now), "history": [change_json(c) for c in stage_history(project.id)],
            "funds": [funds_json(e) for e in funds_history(project.id)], "funds_arrived": _money(arrived),
            "funds_arrival_rate": rate, "problems": [problem_json(p) for p in problems]}


def change_json(change: StageChange) -> dict:
    return {"id": change.id, "from": change.from_stage, "to": change.to_stage, "fact_date": _date(change.fact_date),
            "facts": {k: v for k, v in (change.facts or {}).items() if k != "previous"}, "comment": change.comment,
            "actor": change.actor.username if change.actor else None, "at": change.at.isoformat(),
            "is_undo": change.is_undo, "review_status": change.review_status, "review_comment": change.review_comment}


def funds_json(entry: FundsEntry) -> dict:
    return {"id": entry.id, "period": entry.period.strftime("%Y-%m"), "amount": _money(entry.amount),
            "source": entry.source, "use": entry.use, "evidence": entry.evidence, "note": entry.note,
            "has_attachment": bool(entry.attachment), "superseded_by_id": entry.superseded_by_id,
            "review_status": entry.review_status, "review_comment": entry.review_comment,
            "entered_by": entry.entered_by.username if entry.entered_by else None,
            "created_at": entry.created_at.isoformat()}


def problem_json(problem: Problem) -> dict:
    return {"id": problem.id, "description": problem.description, "category": problem.category,
            "status": problem.status, "raised_on": _date(problem.raised_on), "due_date": _date(problem.due_date),
            "responsible_unit": problem.responsible_unit, "resolution": problem.resolution,
            "resolved_on": _date(problem.resolved_on), "version": problem.version}
