"""Admin commands: `crm backup OUT`, `crm restore IN`, `crm audit prune --before DATE`."""
from datetime import date

import click

from crm.admin import retention
from crm.admin.backup import backup_command, restore_command
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.extensions import db

audit_group = click.Group("audit", help="Audit-log maintenance.")


@audit_group.command("prune")
@click.option("--before", "before", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="delete entries older than this day (YYYY-MM-DD); must be outside the retention period")
def prune_command(before):
    """Delete audit entries older than BEFORE; refuses any date inside the retention (≥ 180 days)."""
    day: date = before.date()
    try:
        count = retention.prune(day, now=utcnow())
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    click.echo(f"deleted {count} audit entries older than {day.isoformat()}")


commands = [backup_command, restore_command, audit_group]
