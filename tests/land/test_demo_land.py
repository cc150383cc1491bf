"""The demo data set has carriers in every park, supplied and idle ones, and yearly figures, so that the land
pages show something on a fresh demo."""
from datetime import date

from sqlalchemy import func, select

from crm.land import efficiency, idle
from crm.land.models import Carrier, CarrierSupply, YearlyFigure
from crm.parks.models import Park

TODAY = date(2026, 11, 22)


def test_the_demo_has_carriers_everywhere_supplied_idle_and_yearly_figures(seeded, runner):
    result = runner.invoke(args=["crm", "demo", "--companies", "300", "--seed", "7", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    session = seeded.session
    parks = set(session.scalars(select(Park.id)))
    assert set(session.scalars(select(Carrier.park_id).distinct())) == parks
    statuses = set(session.scalars(select(Carrier.status).distinct()))
    assert {"available", "started", "idle"} <= statuses
    assert session.scalar(select(func.count()).select_from(CarrierSupply)) > 0
    assert session.scalar(select(func.count()).select_from(YearlyFigure)) > 0
    flagged = idle.findings(TODAY)
    assert flagged and all(f.supply.carrier.status == "idle" for f in flagged)
    # every supply follows its carrier's registration, and a parcel is never smaller than what it supplied
    for supply in session.scalars(select(CarrierSupply)):
        assert supply.area_mu is None or supply.area_mu <= supply.carrier.area_mu
    busiest = max(parks, key=lambda p: len(efficiency.park_report(p, TODAY.year - 1).rows))
    assert efficiency.park_report(busiest, TODAY.year - 1).rows
