"""`crm metrics`: the same figures as /api/v1/metrics, printed as JSON or as a short table."""
import json

import click
from sqlalchemy import func, select

from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.extensions import db
from crm.metrics import funds_summary
from crm.metrics.definitions import RATES
from crm.metrics.figures import compute
from crm.metrics.filters import parse_cohort
from crm.metrics.models import ProjectFunds
from crm.metrics.serialise import figures_json


@click.group("metrics", invoke_without_command=True)
@click.option("--park", default="", help="park code (a key park includes its bases)")
@click.option("--event", default="", help="event id")
@click.option("--industry", default="", help="industry id")
@click.option("--officer", default="", help="officer (user) id")
@click.option("--from", "date_from", default="", help="signed on or after YYYY-MM-DD")
@click.option("--to", "date_to", default="", help="signed on or before YYYY-MM-DD")
@click.option("--json", "as_json_output", is_flag=True, help="print the API's JSON")
@click.pass_context
def metrics_command(ctx, park, event, industry, officer, date_from, date_to, as_json_output):
    """Print the rates, counts by stage and totals of a cohort of projects (or run a subcommand)."""
    if ctx.invoked_subcommand is not None:
        return
    args = {"park": park, "event": event, "industry": industry, "officer": officer, "from": date_from,
            "to": date_to}
    try:
        cohort = parse_cohort(args, today=local_today(utcnow()))
        data = {**figures_json(compute(cohort)), "filters": cohort.args()}
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    if as_json_output:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, rate in RATES.items():
        r = data[key]
        value = "—" if r["value"] is None else f"{r['value']}%"
        click.echo(f"{rate.label} {key}: {r['numerator']} / {r['denominator']} = {value}")
    click.echo("stages: " + ", ".join(f"{k}={v}" for k, v in data["stages"].items()))


@metrics_command.command("refresh")
def refresh_command():
    """Rebuild the per-project funds totals the dashboard reads (after a bulk load outside the app)."""
    funds_summary.refresh(db.session)
    db.session.commit()
    count = db.session.scalar(select(func.count()).select_from(ProjectFunds))
    click.echo(f"funds totals refreshed for {count} projects")


commands = [metrics_command]
