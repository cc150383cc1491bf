"""`crm seed`: load every domain's reference data; safe to run again (a second run changes nothing)."""
import click

from crm.core.seedfiles import ChangeCounter
from crm.extensions import db
from crm.parks import seed as parks_seed

SEEDERS = [parks_seed.seed_all]


def run_seeders() -> ChangeCounter:
    counter = ChangeCounter()
    for seeder in SEEDERS:
        seeder(counter)
        db.session.flush()
    return counter


@click.command("seed")
def seed_command():
    """Load regions, parks, chains, industries, event types and central SOEs from seeds/."""
    counter = run_seeders()
    db.session.commit()
    click.echo(counter.summary())
