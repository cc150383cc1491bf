"""`crm demo`: fill an empty database with the demo data set (refused where companies already exist)."""
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask_babel import gettext as _

from crm.config import TIMEZONE
from crm.demo.generate import SCALES, Sizes, generate
from crm.demo.reference import demo_password, existing_demo
from crm.extensions import db


@click.command("demo")
@click.option("--scale", type=click.Choice(sorted(SCALES)), default="small", show_default=True,
              help="small = 2,000 companies for screenshots; large = 100,000 companies for the benchmark")
@click.option("--companies", type=click.IntRange(min=10), default=None, help="number of companies (overrides --scale)")
@click.option("--seed", type=int, default=2026, show_default=True, help="random seed: same seed, same data")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="the date the data is built around (default: today)")
def demo_command(scale, companies, seed, today):
    """Fill the database with invented demo companies, contacts, logs, projects, funds and problems."""
    reason = existing_demo(db.session)
    if reason:
        raise click.ClickException(_("数据库中已有企业或演示数据（%(what)s），演示数据只能写入空库；请换一个新数据库。",
                                     what=reason))
    sizes = Sizes(companies or SCALES[scale])
    started = time.perf_counter()
    click.echo(f"demo data: {sizes.companies} companies, seed {seed}")
    day = today.date() if today else datetime.now(ZoneInfo(TIMEZONE)).date()
    generate(sizes, seed=seed, today=day, echo=click.echo)
    click.echo(f"done in {time.perf_counter() - started:.1f} s")
    click.echo(_("演示账号 demo_admin、demo_manager1、demo_officer01、demo_park_<园区代码>，"
                 "演示密码：%(pw)s（仅限演示）", pw=demo_password()))


commands = [demo_command]
