"""Build the whole demo data set, table by table, from one seeded random generator."""
import random
import time
from dataclasses import dataclass
from datetime import date

from crm.companies import search_index
from crm.companies.models import Company as CompanyModel
from crm.companies.models import CompanyTier, Contact, ContactLog
from crm.demo import companies as gen_companies
from crm.demo import projects as gen_projects
from crm.demo.bulk import finish, insert_rows, next_id
from crm.demo.reference import prepare
from crm.extensions import db
from crm.land import demo as land_demo
from crm.land.models import Carrier, CarrierChange, CarrierSupply, YearlyFigure
from crm.metrics import funds_summary
from crm.projects.models import FundsEntry, Problem, Project, StageChange

SCALES = {"small": 2_000, "large": 100_000}


@dataclass(frozen=True)
class Sizes:
    """Row counts per table; everything scales with the number of companies (large = issue 9's figures)."""

    companies: int

    @property
    def contacts(self) -> int:
        return self.companies * 3

    @property
    def logs(self) -> int:
        return self.companies * 10

    @property
    def projects(self) -> int:
        return max(50, self.companies // 5)

    @property
    def funds(self) -> int:
        return self.companies * 2

    @property
    def problems(self) -> int:
        return max(20, self.companies // 10)

    @property
    def officers(self) -> int:
        return min(40, max(8, self.companies // 2500))


def generate(sizes: Sizes, *, seed: int, today: date, echo=print) -> dict:
    """Write the data set; returns the row count and seconds taken per table."""
    rng = random.Random(seed)
    report: dict[str, dict] = {}

    def step(name, model, rows):
        started = time.perf_counter()
        count = insert_rows(model, rows)
        report[name] = {"rows": count, "seconds": round(time.perf_counter() - started, 1)}
        echo(f"  {name}: {count} rows in {report[name]['seconds']} s")

    ref = prepare(rng, today, sizes.officers)
    log_counts = gen_companies.plan_logs(rng, sizes.companies, sizes.logs)
    plan: list = []
    step("companies", CompanyModel, gen_companies.company_rows(rng, ref, next_id(CompanyModel), sizes.companies,
                                                               log_counts, today, plan))
    step("company_tiers", CompanyTier, gen_companies.tier_rows(rng, plan, next_id(CompanyTier)))
    step("contacts", Contact, gen_companies.contact_rows(rng, plan, next_id(Contact), sizes.contacts))
    projects: list = []
    # Companies with contact history are the ones that turn into projects.
    candidates = [(c[0], c[1], c[4]) for c in plan if c[3]] or [(c[0], c[1], c[4]) for c in plan]
    step("projects", Project, gen_projects.project_rows(rng, ref, candidates, next_id(Project), sizes.projects,
                                                        today, projects))
    step("stage_changes", StageChange, gen_projects.stage_change_rows(rng, projects, next_id(StageChange)))
    projects_of: dict[int, list[int]] = {}
    for project in projects:
        projects_of.setdefault(project[-1], []).append(project[0])
    step("contact_logs", ContactLog, gen_companies.log_rows(rng, ref, plan, next_id(ContactLog), today, projects_of))
    step("funds_entries", FundsEntry, gen_projects.funds_rows(rng, ref, projects, next_id(FundsEntry), sizes.funds,
                                                              today))
    step("problems", Problem, gen_projects.problem_rows(rng, ref, projects, next_id(Problem), sizes.problems, today))
    _land(step, random.Random(seed + 1), sizes, today)  # its own generator: the rows above stay as they were
    # Bulk inserts bypass the session hooks that keep the per-project funds totals of the dashboards
    # and the company search index.
    funds_summary.refresh(db.session)
    search_index.rebuild(db.session)
    db.session.commit()
    finish([CompanyModel, CompanyTier, Contact, Project, StageChange, ContactLog, FundsEntry, Problem,
            Carrier, CarrierChange, CarrierSupply, YearlyFigure])
    return report


def _land(step, rng, sizes: Sizes, today: date) -> None:
    """Carriers in every park (20 a park at the benchmark's scale), supplies, idle parcels, yearly figures."""
    per_park = 20 if sizes.companies >= SCALES["large"] // 2 else 8
    first_ids = {"carriers": next_id(Carrier), "changes": next_id(CarrierChange), "supplies": next_id(CarrierSupply)}
    rows = land_demo.carrier_rows(rng, today, per_park, first_ids)
    step("carriers", Carrier, rows.carriers)
    step("carrier_changes", CarrierChange, rows.changes)
    step("carrier_supplies", CarrierSupply, rows.supplies)
    step("project_yearly_figures", YearlyFigure, land_demo.yearly_rows(rng, today, next_id(YearlyFigure)))
