"""Match results as plain dicts for the API and the CLI."""
from crm.matching.scoring import CompanyMatch, ParkMatch
from crm.projects.models import Project


def park_label(park) -> str:
    """How a park is named in a recommendation: a base with its key park, a key park with its bases."""
    if park.is_key_park:
        bases = "、".join(park.children)
        return f"{park.name}（重点园区，下辖{bases}）" if bases else f"{park.name}（重点园区）"
    return f"{park.name}（{park.parent_name}）" if park.parent_name else park.name


def park_match(match: ParkMatch, rank: int) -> dict:
    park = match.park
    return {"rank": rank, "park_code": park.code, "park_name": park.name, "park_label": park_label(park),
            "level": park.level, "weak": match.weak,
            "parent_code": park.parent_code, "parent_name": park.parent_name, "score": match.score,
            "reasons": match.reasons, "parts": [{"points": p.points, "reason": p.reason, "kind": p.kind}
                                                for p in match.parts],
            "warnings": match.warnings, "warning_clauses": warning_clauses(match.warnings)}


def warning_clauses(warnings) -> list[dict]:
    """Each warning with the policy clause it comes from and where that clause is read."""
    return [{"warning": str(w), "clause": getattr(w, "clause", ""),
             "url": f"/policies/clause/{w.clause}" if getattr(w, "clause", "") else None} for w in warnings]


def _project(project: Project) -> dict:
    return {"id": project.id, "name": project.name, "stage": project.stage,
            "dropped_reason": project.dropped_reason or ""}


def company_match(match: CompanyMatch, rank: int, projects: list[Project]) -> dict:
    return {"rank": rank, "company_id": match.company.id, "company_name": match.company.name,
            "score": match.score, "reasons": match.reasons, "warnings": [],
            "open_projects": [_project(p) for p in projects if p.stage != "dropped"],
            "dropped_projects": [_project(p) for p in projects if p.stage == "dropped"]}
