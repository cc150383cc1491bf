"""`crm metrics`: the same figures as /api/v1/metrics, printed as JSON or as a short table."""
import json

import click

from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.metrics.definitions import RATES
from crm.metrics.figures import as_json, compute
from crm.metrics.filters import parse_cohort


@click.command("metrics")
@click.option("--park", default="", help="park code (a key park includes its bases)")
@click.option("--event", default="", help="event id")
@click.option("--industry", default="", help="industry id")
@click.option("--officer", default="", help="officer (user) id")
@click.option("--from", "date_from", default="", help="signed on or after YYYY-MM-DD")
@click.option("--to", "date_to", default="", help="signed on or before YYYY-MM-DD")
@click.option("--json", "as_json_output", is_flag=True, help="print the API's JSON")
def metrics_command(park, event, industry, officer, date_from, date_to, as_json_output):
    """Print the rates, counts by stage and totals of a cohort of projects."""
    args = {"park": park, "event": event, "industry": industry, "officer": officer, "from": date_from,
            "to": date_to}
    try:
        cohort = parse_cohort(args, today=local_today(utcnow()))
        data = {**as_json(compute(cohort)), "filters": cohort.args()}
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


commands = [metrics_command]
