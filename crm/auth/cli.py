"""Account commands: create-user (password on standard input), create-token, ensure-admin, reset-password."""
import sys

import click
from sqlalchemy import select

from crm.auth import services
from crm.auth.models import User
from crm.core.db import utcnow
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
@click.option("--url", default="http://127.0.0.1:5000", show_default=True, help="where the app will answer")
def ensure_admin(url):
    """Create the first administrator with a random password, printed once; then say how to sign in."""
    click.echo("=" * 60)
    if db.session.scalar(select(User.id).where(User.role == Role.admin).limit(1)):
        click.echo("an administrator exists (its password was shown when it was created)")
    else:
        password = services.random_password()
        services.create_user("admin", password, Role.admin, display_name="系统管理员")
        db.session.commit()
        click.echo("administrator created — write this down, it is shown only once:")
        click.echo(f"  password: {password}")
    click.echo("  username: admin")
    click.echo(f"  sign in:  {url.rstrip('/')}/login")
    click.echo("  demo data (invented companies and projects, into an empty database):")
    click.echo("            .venv/bin/flask --app wsgi crm demo")
    click.echo("  forgot the password? .venv/bin/flask --app wsgi crm reset-password admin")
    click.echo("=" * 60)


@click.command("reset-password")
@click.argument("username")
def reset_password(username):
    """Set USERNAME's password: the one on standard input, or a random one printed once (then to be changed at
    the next sign-in). Every session of the user ends."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user called {username}")
    typed = "" if sys.stdin.isatty() else sys.stdin.read()
    password = _read_password_from(typed) if typed.strip() else services.random_password()
    try:
        services.set_password(user, password, now=utcnow(), force_change=not typed.strip())
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    if typed.strip():
        click.echo(f"password of {username} changed; their sessions have ended")
    else:
        click.echo(f"new password of {username} (shown only once; to be changed at the next sign-in): {password}")


def _read_password_from(text: str) -> str:
    lines = text.splitlines()
    if len(lines) > 1 and lines[1] and lines[1] != lines[0]:
        raise click.ClickException("the two passwords on standard input differ")
    return lines[0]


commands = [create_user, create_token, ensure_admin, reset_password]
