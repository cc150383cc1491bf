"""The `flask --app wsgi crm ...` command group, gathered from each domain's commands."""
import click

from crm.auth import cli as auth_cli
from crm.seeding import seed_command

crm_group = click.Group("crm", help="招商引资管理系统 commands.")

for command in [*auth_cli.commands, seed_command]:
    crm_group.add_command(command)
