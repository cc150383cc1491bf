"""`crm seed`: load every domain's reference data; safe to run again (a second run changes nothing)."""
import click

from crm.companies import seed as companies_seed
from crm.core.seedfiles import ChangeCounter
from crm.events import seed as events_seed
from crm.extensions import db
from crm.metrics import seed as metrics_seed
from crm.parks import seed as parks_seed
from crm.policies import seed as policies_seed

SEEDERS = [parks_seed.seed_all, metrics_seed.seed_targets, events_seed.seed_event_types,
           companies_seed.seed_central_soes, policies_seed.seed_all]


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
