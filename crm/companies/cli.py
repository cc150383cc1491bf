"""`crm import companies FILE [--dry-run]` and `crm import logs FILE`: the same plan as the web import."""
from pathlib import Path

import click
from sqlalchemy import select

from crm.auth.models import User
from crm.companies import importing, search_index
from crm.companies.tables import TableError, read_table
from crm.contacts import importing as log_importing
from crm.core.errors import ServiceError
from crm.extensions import db

import_group = click.Group("import", help="Import companies or contact logs from xlsx or CSV (UTF-8 or GBK).")


def _actor(username: str | None):
    if not username:
        return None
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user named {username}")
    return user


def _run(path: str, planner, committer, dry_run: bool, username: str | None) -> None:
    try:
        results = planner(read_table(Path(path).read_bytes()))
    except (TableError, ServiceError) as error:
        raise click.ClickException(str(getattr(error, "message", error))) from error
    for r in results:
        if r.fate == importing.REFUSED:
            click.echo(f"line {r.line}: refused: {r.reason}")
    if dry_run:
        counts = importing.summary(results)
        db.session.rollback()
    else:
        counts = committer(results, actor=_actor(username), on_batch=db.session.commit)
    click.echo(("dry run, nothing written: " if dry_run else "")
               + ", ".join(f"{n} {fate}" for fate, n in counts.items()))


@import_group.command("companies")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="show what would happen; write nothing")
@click.option("--user", "username", default=None, help="record the import as done by this user")
def import_companies(path, dry_run, username):
    """Import companies from PATH; refused rows are listed and written nowhere."""
    _run(path, importing.plan_companies, importing.commit_companies, dry_run, username)


@import_group.command("logs")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="show what would happen; write nothing")
@click.option("--user", "username", default=None, help="record the import as done by this user")
def import_logs(path, dry_run, username):
    """Import contact logs from PATH; each row must name a known company."""
    _run(path, log_importing.plan_logs, log_importing.commit_logs, dry_run, username)


@click.command("reindex-company-search")
def reindex_company_search():
    """Rebuild the company search index, after companies were written without the application (bulk SQL) or
    after an update that adds to what the search reads; companies with no search words get theirs first."""
    search_index.fill_search_words(db.session)
    count = search_index.rebuild(db.session)
    db.session.commit()
    click.echo(f"{count} companies indexed")


commands = [import_group, reindex_company_search]
