"""One object of every kind, all bound to park NANCHUAN, and how URL variables name them.

The route walker fills a rule's variables from VARIABLES (or, for a bare `id`, from BLUEPRINT_IDS).
A new route whose variable is not known here makes the walker FAIL, asking the developer to add it:
that is the point, so that no route escapes the access checks.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from crm.api.models import Webhook
from crm.auth import services as auth_services
from crm.companies.models import CompanyMerge, Contact, ContactLog, Trip
from crm.extensions import db
from crm.jobs.models import Notification
from crm.land.models import Carrier
from crm.metrics.models import Target
from crm.policies.models import PolicyDocument
from crm.projects.models import FundsEntry, Problem, ProjectTask, StageChange, Supervision
from crm.projects.stages import Stage
from tests import factories
from tests.conftest import make_user

SECRET = "SENTINEL7Q"  # in every NANCHUAN-only name and text: must never reach another park's staff
SECRET_AMOUNTS = ["98,765.43", "98765.43", "45,678.90", "45678.9"]
SECRETS = [SECRET, *SECRET_AMOUNTS]

# URL variable name -> kind of object in the world.
VARIABLES = {
    "company_id": "company", "kept_id": "company", "other_id": "company", "duplicate_id": "company",
    "contact_id": "contact", "log_id": "contact_log", "contact_log_id": "contact_log", "trip_id": "trip",
    "project_id": "project", "event_id": "event", "funds_id": "funds", "entry_id": "funds",
    "funds_entry_id": "funds", "problem_id": "problem", "supervision_id": "supervision", "task_id": "task",
    "change_id": "stage_change", "stage_change_id": "stage_change", "merge_id": "merge",
    "user_id": "user", "token_id": "token", "code": "park", "park_code": "park", "park_id": "park_id",
    "chain_id": "chain", "link_id": "link", "notification_id": "notification", "target_id": "target",
    "token": "import_token", "policy_id": "policy", "clause_id": "clause", "carrier_id": "carrier",
    "webhook_id": "webhook",
}
# Variables whose meaning depends on the route: endpoint -> {variable: kind, or "=literal"}.
ENDPOINT_VARIABLES = {
    "projects.ledger.decide": {"kind": "=funds", "item_id": "funds", "decision": "=approve"},
    "projects.ledger.action_form": {"name": "=funds"},
    "projects.ledger.close_supervision": {"item_id": "supervision"},
    "reports.download": {"kind": "=ledger"},
    "jobs.run_now": {"name": "=warnings"},
    "policies.clause": {"anchor": "=land_priority_002"},
}
# A bare <id> names the blueprint's own object.
BLUEPRINT_IDS = {
    "companies": "company", "companies_api": "company", "projects": "project", "projects_api": "project",
    "events": "event", "events_api": "event",
}
# Kinds another park's staff must never reach (403/404); the others may be visible but must not
# carry NANCHUAN's data (their bodies are still checked for the secrets).
# Parks themselves (positioning, chains) are reference data every role reads.
# Tokens and notifications belong to their user: nobody else reaches them either.
PARK_BOUND = {"company", "contact", "contact_log", "project", "funds", "problem", "supervision", "task",
              "stage_change", "merge", "token", "notification", "carrier", "webhook"}
# Kinds whose GET a manager/admin reaches: the positive control proving the ids are right.
MANAGER_VISIBLE = ((PARK_BOUND - {"token", "notification", "webhook"})
                   | {"park", "park_id", "event", "chain", "link", "policy"})


@dataclass
class World:
    objects: dict[str, object] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)

    def kind_for(self, blueprint: str, variable: str, endpoint: str = "") -> str | None:
        special = ENDPOINT_VARIABLES.get(endpoint, {})
        if variable in special:
            return special[variable]
        if variable in VARIABLES:
            return VARIABLES[variable]
        if variable == "id":
            return BLUEPRINT_IDS.get(blueprint)
        return None


def build_world() -> World:
    """Flushes and commits one object of each kind at NANCHUAN, with secrets in every text."""
    owner = make_user("nanchuan_owner", "park_staff", parks=["NANCHUAN"])
    company = factories.company(name=f"南川保密企业{SECRET}有限公司")
    other = factories.company(name=f"南川重复企业{SECRET}有限公司")
    event = factories.event(2025, name="2025青洽会")
    project = factories.project("NANCHUAN", Stage.signed, company=company, name=f"南川锂电项目{SECRET}",
                                agreed_investment=Decimal("98765.4321"), event_id=event.id)
    factories.project("NANCHUAN", Stage.lead, company=other, name=f"南川第二项目{SECRET}")
    contact = Contact(company_id=company.id, name=f"联系人{SECRET}", mobile="13900009999")
    trip = Trip(title="长三角招商", destination="上海")
    db.session.add_all([contact, trip])
    db.session.flush()
    log = ContactLog(company_id=company.id, date=date(2025, 3, 1), summary=f"洽谈{SECRET}", project_id=project.id,
                     trip_id=trip.id)
    funds = FundsEntry(project_id=project.id, period=date(2025, 9, 1), amount=Decimal("45678.9"), note=SECRET)
    problem = Problem(project_id=project.id, description=f"用地问题{SECRET}", raised_on=date(2025, 10, 1))
    supervision = Supervision(project_id=project.id, instruction=f"批示{SECRET}", leader="省领导")
    task = ProjectTask(project_id=project.id, description=f"任务{SECRET}")
    change = StageChange(project_id=project.id, from_stage="negotiating", to_stage="signed",
                         fact_date=date(2025, 6, 1), comment=SECRET)
    merge = CompanyMerge(kept_id=company.id, merged_name=f"已合并{SECRET}")
    db.session.add_all([log, funds, problem, supervision, task, change, merge])
    token, _raw = auth_services.create_token(owner, "nanchuan")
    notification = Notification(user_id=owner.id, kind="test", title=f"提醒{SECRET}", dedupe_key="trust-1")
    target = Target(unit="NANCHUAN", year=2025, metric="signed_count", value=Decimal(3))
    chain = project.park.chains[0] if project.park.chains else None
    carrier = Carrier(park_id=project.park_id, name=f"南川地块{SECRET}", area_mu=Decimal("86"), status="available")
    webhook = Webhook(url="http://127.0.0.1:9/hook", kinds="project.stage_changed", secret=f"whsec_{SECRET}")
    db.session.add_all([notification, target, carrier, webhook])
    db.session.flush()
    objects = {"company": company, "contact": contact, "contact_log": log, "trip": trip, "project": project,
               "event": event, "funds": funds, "problem": problem, "supervision": supervision, "task": task,
               "stage_change": change, "merge": merge, "user": owner, "token": token,
               "park": project.park, "park_id": project.park, "notification": notification, "target": target,
               "chain": chain, "link": chain.links[0] if chain and chain.links else None, "carrier": carrier,
               "webhook": webhook}
    policy = db.session.scalars(select(PolicyDocument).order_by(PolicyDocument.id)).first()  # seeded reference data
    objects.update(policy=policy, clause=policy.clauses[0] if policy else None)
    values = {kind: (obj.code if kind == "park" else getattr(obj, "id", 0)) for kind, obj in objects.items()}
    values["import_token"] = "0" * 32  # a well-formed token of an upload nobody made
    db.session.commit()
    return World(objects, values)

