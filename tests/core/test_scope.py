"""The park scope: park staff see their parks (and those parks' bases); others see all."""
from sqlalchemy import select

from crm.core.scope import scope_to_parks
from crm.parks.models import Park
from tests.conftest import make_user


def test_park_staff_of_a_key_park_see_its_bases_and_nothing_else(seeded):
    staff = make_user("cdm_staff", "park_staff", parks=["CDM"])
    visible = set(seeded.session.scalars(scope_to_parks(select(Park.code), Park.id, staff)))
    assert "CDM" in visible and "CHAERHAN" in visible
    assert "NANCHUAN" not in visible and "XNKF" not in visible


def test_other_roles_see_every_park(seeded):
    manager = make_user("boss", "manager")
    assert len(seeded.session.scalars(scope_to_parks(select(Park.id), Park.id, manager)).all()) == 18
