"""The `flask --app wsgi crm ...` command group, gathered from each domain's commands."""
import click

from crm.admin import cli as admin_cli
from crm.auth import cli as auth_cli
from crm.companies import cli as companies_cli
from crm.demo import cli as demo_cli
from crm.jobs import cli as jobs_cli
from crm.land import cli as land_cli
from crm.matching import cli as matching_cli
from crm.metrics import cli as metrics_cli
from crm.policies import cli as policies_cli
from crm.reports import cli as reports_cli
from crm.seeding import seed_command

crm_group = click.Group("crm", help="招商引资管理系统 commands.")

for command in [*auth_cli.commands, seed_command, *admin_cli.commands, *jobs_cli.commands,
                *companies_cli.commands, *matching_cli.commands, *metrics_cli.commands, *reports_cli.commands,
                *demo_cli.commands, *land_cli.commands, *policies_cli.commands]:
    crm_group.add_command(command)
