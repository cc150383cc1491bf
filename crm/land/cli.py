"""`crm land check [--today YYYY-MM-DD]`: the idle and 可收回 parcels as CSV (reads only; the daily job flags)."""
import csv
import sys
from datetime import date

import click

from crm.core.db import utcnow
from crm.core.formatting import local_today
from crm.land import idle


@click.group("land")
def land_group():
    """Land and carriers."""


@land_group.command("check")
@click.option("--today", "today_text", help="the day to check for (YYYY-MM-DD); default today in Asia/Shanghai")
def check(today_text):
    """Print parcels supplied and not started a year after the agreed start (idle) or two (reclaimable)."""
    try:
        today = date.fromisoformat(today_text) if today_text else local_today(utcnow())
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--today") from error
    writer = csv.DictWriter(sys.stdout, fieldnames=idle.CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for finding in idle.findings(today):
        writer.writerow(finding.row)


commands = [land_group]
