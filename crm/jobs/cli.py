"""`crm jobs list`, `crm jobs run NAME [--date]` and `crm scheduler` (the scheduler process)."""
import logging
import signal
from datetime import date

import click
from flask import current_app

from crm.core.db import utcnow
from crm.core.formatting import local_today
from crm.jobs.registry import JOBS, cron_of
from crm.jobs.runner import run_job
from crm.jobs.scheduler import Scheduler, run_once


def _day(value: str | None) -> date:
    if not value:
        return local_today(utcnow())
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM-DD") from error


@click.group("jobs")
def jobs_group():
    """Scheduled jobs: list them, or run one now for a given day."""


@jobs_group.command("list")
def list_jobs():
    """One job per line: name, schedule (crontab, Asia/Shanghai; "off" when disabled), label."""
    for name, spec in JOBS.items():
        click.echo(f"{name:<22} {cron_of(name) or 'off':<14} {spec.label}")


@jobs_group.command("run")
@click.argument("name", type=click.Choice(list(JOBS)))
@click.option("--date", "day", help="the day to run for (YYYY-MM-DD); default today in Asia/Shanghai")
def run(name, day):
    """Run one job now for a day; running it again for the same day creates nothing new."""
    record = run_job(name, today=_day(day), trigger="cli")
    if record is None:
        click.echo(f"{name}: nothing to do")
        return
    click.echo(f"{name} {record.run_for}: {record.outcome}, {record.items} item(s)"
               + (f" — {record.error.strip().splitlines()[-1]}" if record.error else ""))
    if record.outcome == "failed":
        raise SystemExit(1)


@click.command("scheduler")
@click.option("--once", is_flag=True, help="run the jobs due on --date once (holding the lease) and exit")
@click.option("--date", "day", help="with --once: the day (YYYY-MM-DD); default today")
@click.option("--lease-seconds", default=60, show_default=True, help="how long the lease lasts unrenewed")
@click.option("--poll", default=15.0, show_default=True, help="seconds between tries while another holds it")
def scheduler_command(once, day, lease_seconds, poll):
    """Run the scheduler process (one per site; a second one stays idle while the first lives)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if once:
        results = run_once(current_app._get_current_object(), _day(day))
        if results is None:
            click.echo("idle: another scheduler holds the lease")
            return
        for name, record in results:
            click.echo(f"{name}: {record.outcome if record else 'nothing to do'}, {record.items if record else 0}")
        return
    process = Scheduler(current_app._get_current_object(), lease_seconds=lease_seconds, poll=poll)
    signal.signal(signal.SIGTERM, process.stop)
    signal.signal(signal.SIGINT, process.stop)
    click.echo(f"scheduler {process.holder} starting")
    process.run_forever()
    click.echo("scheduler stopped")


commands = [jobs_group, scheduler_command]
