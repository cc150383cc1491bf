"""Account commands: create-user (password on standard input), create-token, ensure-admin."""
import sys

import click
from sqlalchemy import select

from crm.auth import services
from crm.auth.models import User
from crm.core.errors import ServiceError
from crm.core.permissions import Role
from crm.extensions import db


def _read_password() -> str:
    lines = sys.stdin.read().splitlines()
    if not lines or not lines[0]:
        raise click.ClickException("no password on standard input")
    if len(lines) > 1 and lines[1] and lines[1] != lines[0]:
        raise click.ClickException("the two passwords on standard input differ")
    return lines[0]


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--park", "parks", multiple=True, help="park code; repeat for several parks")
@click.option("--name", "display_name", default="", help="display name")
def create_user(username, role, parks, display_name):
    """Create a user; the password is read from standard input (twice, one per line, may be given)."""
    password = _read_password()
    try:
        user = services.create_user(username, password, role, park_codes=parks, display_name=display_name)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    click.echo(f"created {user.username} ({user.role})")


@click.command("create-token")
@click.argument("username")
@click.option("--name", "label", default="cli", help="a label to recognise the token by")
@click.option("--read-only", is_flag=True, help="the token may read, never write")
@click.option("--resource", "resources", multiple=True, help="limit the token to this /api/v1 resource (repeatable)")
@click.option("--days", default=services.TOKEN_DAYS, show_default=True, help="days until the token expires")
def create_token(username, label, read_only, resources, days):
    """Print a new personal access token for USERNAME (shown once)."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user named {username}")
    try:
        _token, raw = services.create_token(user, label, access="read" if read_only else "write",
                                            resources=resources, days=days)
    except ServiceError as error:
        raise click.ClickException(f"{error.message} {error.fields}") from error
    db.session.commit()
    click.echo(raw)


@click.command("ensure-admin")
def ensure_admin():
    """Create the first administrator with a random password, printed once; no-op when one exists."""
    if db.session.scalar(select(User.id).where(User.role == Role.admin).limit(1)):
        click.echo("an administrator exists; nothing to do")
        return
    password = services.random_password()
    services.create_user("admin", password, Role.admin, display_name="系统管理员")
    db.session.commit()
    click.echo("=" * 60)
    click.echo("administrator created — write this down, it is shown only once:")
    click.echo("  username: admin")
    click.echo(f"  password: {password}")
    click.echo("=" * 60)


commands = [create_user, create_token, ensure_admin]
