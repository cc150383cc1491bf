"""`crm export ledger --month 2026-10 [--park CODE] [--event ID] [--kind summary] --out FILE.xlsx`."""
from pathlib import Path

import click

from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from crm.extensions import db
from crm.metrics.filters import parse_cohort
from crm.reports import services

export_group = click.Group("export", help="Export tables as Excel workbooks.")


@export_group.command("ledger")
@click.option("--month", required=True, help="YYYY-MM")
@click.option("--park", default="", help="park code (a key park includes its bases)")
@click.option("--event", default="", help="event id")
@click.option("--kind", type=click.Choice(services.KINDS), default="ledger", help="ledger or the summary")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True))
def export_ledger(month, park, event, kind, out):
    """Write the project ledger (or the monthly summary by park and by fair) for a month."""
    today = local_today(utcnow())
    try:
        cohort = parse_cohort({"park": park, "event": event}, today=today)
        content, _name, _totals = services.export_workbook(kind, services.parse_month(month), cohort, actor=None,
                                                          made_on=today)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    Path(out).write_bytes(content)
    click.echo(f"wrote {out}")


commands = [export_group]
