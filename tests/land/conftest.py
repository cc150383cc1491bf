"""Helpers for the land tests: a signed project at a park, and a parcel entered through the service."""
from datetime import date
from decimal import Decimal

import pytest

from crm.extensions import db as _db
from crm.land import services
from tests import factories
from tests.conftest import make_user


@pytest.fixture
def admin(seeded):
    return make_user("land_admin", "admin")


def parcel(actor, park_code="NANCHUAN", name="12号地块", area="86", **values):
    park = factories.park(park_code)
    carrier = services.create_carrier(park=park, actor=actor, values={"name": name, "area_mu": area,
                                                                      "land_use": "工业", **values},
                                      today=date(2024, 1, 2))
    _db.session.flush()
    return carrier


def signed_project(park_code="NANCHUAN", fixed="62000", stage="signed", **fields):
    return factories.project(park_code, stage, fixed_asset_investment=Decimal(fixed), **fields)
