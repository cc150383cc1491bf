"""API tests need parks and event types: a lighter `seeded` than the whole reference data."""
import pytest

from crm.core.seedfiles import ChangeCounter
from crm.events.seed import seed_event_types
from crm.parks.seed import seed_all as seed_parks


@pytest.fixture
def seeded(db):
    counter = ChangeCounter()
    seed_parks(counter)
    seed_event_types(counter)
    db.session.commit()
    return db
