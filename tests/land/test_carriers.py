"""Carriers through the API and the pages: entered, listed with filters, moved with dated facts, supplied
to a project whose 投资强度 is then judged against document 002; park staff edit only their own parks'."""
from datetime import date

from crm.extensions import db
from crm.land.models import Carrier, CarrierChange
from tests.land.conftest import parcel, signed_project


def test_a_parcel_is_entered_listed_by_filters_and_moved_with_its_history(seeded, api_as):
    api = api_as("park_staff", parks=["NANCHUAN"])
    created = api.post("/api/v1/carriers", json={"park": "NANCHUAN", "kind": "land", "name": "12号地块",
                                                 "area_mu": "86", "land_use": "工业", "serviced": True})
    assert created.status_code == 201, created.json
    carrier = created.json
    assert carrier["status"] == "available" and carrier["area_mu"] == "86" and carrier["serviced"] is True
    small = api.post("/api/v1/carriers", json={"park": "NANCHUAN", "name": "3号地块", "area_mu": "20"}).json
    factory = api.post("/api/v1/carriers", json={"park": "NANCHUAN", "kind": "factory", "name": "A栋标准厂房",
                                                 "floor_area_m2": "12000", "floors": 4}).json
    listed = api.get("/api/v1/carriers?park=NANCHUAN&status=available&min_area=50&kind=land").json
    assert [c["id"] for c in listed["items"]] == [carrier["id"]]
    assert {c["id"] for c in api.get("/api/v1/carriers?kind=factory").json["items"]} == {factory["id"]}

    moved = api.post(f"/api/v1/carriers/{carrier['id']}/transitions", json={"to": "intended", "date": "2025-03-01"})
    assert moved.status_code == 201 and moved.json["carrier"]["status"] == "intended"
    back = api.post(f"/api/v1/carriers/{carrier['id']}/transitions", json={"to": "available", "date": "2025-02-01"})
    assert back.status_code == 422 and "date" in back.json["error"]["fields"]  # before the last move
    jump = api.post(f"/api/v1/carriers/{small['id']}/transitions", json={"to": "started", "date": "2025-03-01"})
    assert jump.status_code == 422 and "to" in jump.json["error"]["fields"]
    detail = api.get(f"/api/v1/carriers/{carrier['id']}").json
    assert [(h["from"], h["to"], h["date"]) for h in detail["history"]][1:] == [("available", "intended",
                                                                                  "2025-03-01")]


def test_bad_input_names_the_field_and_writes_nothing(seeded, api_as):
    api = api_as("park_staff", parks=["NANCHUAN"])
    for body, field in (({"park": "NANCHUAN", "name": "", "area_mu": "10"}, "name"),
                        ({"park": "NANCHUAN", "name": "x", "area_mu": "abc"}, "area_mu"),
                        ({"park": "NANCHUAN", "name": "x", "area_mu": "-3"}, "area_mu"),
                        ({"park": "NANCHUAN", "name": "x", "area_mu": "5", "land_use": "住宅"}, "land_use"),
                        ({"park": "NANCHUAN", "name": "x", "kind": "factory"}, "floor_area_m2"),
                        ({"park": "NOPE", "name": "x", "area_mu": "5"}, "park")):
        answer = api.post("/api/v1/carriers", json=body)
        assert answer.status_code == 422 and field in answer.json["error"]["fields"], (body, answer.json)
    assert db.session.query(Carrier).count() == 0


def test_park_staff_edit_only_their_parks_carriers_and_see_only_theirs(seeded, api_as, admin):
    theirs = parcel(admin, "GANHE", "甘河5号地块")
    ours = parcel(admin, "NANCHUAN", "南川12号地块")
    db.session.commit()
    staff = api_as("park_staff", parks=["NANCHUAN"])
    assert staff.post("/api/v1/carriers", json={"park": "GANHE", "name": "x", "area_mu": "5"}).status_code == 403
    assert staff.get(f"/api/v1/carriers/{theirs.id}").status_code == 404
    assert [c["name"] for c in staff.get("/api/v1/carriers").json["items"]] == ["南川12号地块"]
    version = ours.version
    patched = staff.patch(f"/api/v1/carriers/{ours.id}", json={"version": version, "price": "18"})
    assert patched.status_code == 200 and patched.json["price"] == "18"
    stale = staff.patch(f"/api/v1/carriers/{ours.id}", json={"version": version, "price": "19"})
    assert stale.status_code == 409
    officer = api_as("officer")
    assert len(officer.get("/api/v1/carriers").json["items"]) == 2  # everyone in scope reads them
    assert officer.post("/api/v1/carriers", json={"park": "NANCHUAN", "name": "x", "area_mu": "5"}).status_code == 403


def test_supplying_a_parcel_records_the_fact_and_judges_the_project_intensity(seeded, api_as, admin):
    carrier = parcel(admin, area="100")
    project = signed_project(fixed="62000")
    low = signed_project(fixed="20000", name="低强度项目")
    db.session.commit()
    api = api_as("park_staff", parks=["NANCHUAN"])
    supplied = api.post(f"/api/v1/projects/{project.id}/carriers",
                        json={"carrier_id": carrier.id, "date": "2024-04-01", "area_mu": "100",
                              "contract_no": "NC-2024-012", "agreed_start": "2024-06-01"})
    assert supplied.status_code == 201, supplied.json
    assert supplied.json["investment_intensity"] == "620" and supplied.json["land_priority"] is True
    again = api.post(f"/api/v1/projects/{low.id}/carriers", json={"carrier_id": carrier.id, "date": "2024-05-01",
                                                                 "agreed_start": "2024-06-01"})
    assert again.status_code == 422 and "carrier_id" in again.json["error"]["fields"]  # already supplied
    land = api.get(f"/api/v1/projects/{project.id}").json["land"]
    assert land["carriers"][0]["contract_no"] == "NC-2024-012" and land["intensity_unit"] == "万元/亩"
    assert land["priority_threshold"] == "500" and "002" in land["priority_source"]
    changes = db.session.query(CarrierChange).filter_by(carrier_id=carrier.id).order_by(CarrierChange.id).all()
    assert (changes[-1].to_status, changes[-1].fact_date, changes[-1].project_id) == ("supplied", date(2024, 4, 1),
                                                                                     project.id)
    # the other project: 20000 ÷ its stated 100 亩 = 200, below the key park's 320 target
    low.land_mu = 100
    db.session.commit()
    lows = api.get(f"/api/v1/projects/{low.id}/carriers").json
    assert lows["investment_intensity"] == "200" and lows["below_minimum"] is True and lows["land_priority"] is False


def test_supply_refuses_a_carrier_of_another_park_or_a_missing_agreed_start(seeded, api_as, admin):
    other_park = parcel(admin, "GANHE", "甘河5号地块")
    ours = parcel(admin)
    project = signed_project()
    db.session.commit()
    api = api_as("admin")
    wrong = api.post(f"/api/v1/projects/{project.id}/carriers", json={"carrier_id": other_park.id,
                                                                      "date": "2024-04-01",
                                                                      "agreed_start": "2024-06-01"})
    assert wrong.status_code == 422
    missing = api.post(f"/api/v1/projects/{project.id}/carriers", json={"carrier_id": ours.id, "date": "2024-04-01"})
    assert missing.status_code == 422 and "agreed_start" in missing.json["error"]["fields"]
    too_big = api.post(f"/api/v1/projects/{project.id}/carriers", json={"carrier_id": ours.id, "date": "2024-04-01",
                                                                        "agreed_start": "2024-06-01", "area_mu": "90"})
    assert too_big.status_code == 422 and "area_mu" in too_big.json["error"]["fields"]
    assert db.session.get(Carrier, ours.id).status == "available"


def test_the_park_page_lists_its_carriers_with_totals_and_the_form_keeps_bad_input(seeded, login_as, admin):
    parcel(admin, area="86")
    parcel(admin, name="7号地块", area="14.5")
    db.session.commit()
    staff = login_as("park_staff", parks=["NANCHUAN"])
    page = staff.get("/land/parks/NANCHUAN")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "12号地块" in text and "100.50" in text  # 可供土地 86 + 14.5 亩
    assert staff.get("/land/parks/GANHE").status_code == 404
    bad = staff.post("/land/parks/NANCHUAN/new", data={"kind": "land", "name": "9号地块", "area_mu": "八十"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'value="9号地块"' in body and "invalid-feedback" in body
    good = staff.post("/land/parks/NANCHUAN/new", data={"kind": "land", "name": "9号地块", "area_mu": "80",
                                                        "serviced": "y", "land_use": "工业"})
    assert good.status_code == 302
    assert db.session.query(Carrier).filter_by(name="9号地块").one().serviced is True
    officer = login_as("officer")
    assert officer.get("/land/parks/NANCHUAN/new").status_code == 403


def test_the_project_page_shows_its_land_and_intensity_after_a_supply_through_the_form(seeded, login_as, admin):
    carrier = parcel(admin, area="100")
    project = signed_project(fixed="62000")
    db.session.commit()
    staff = login_as("park_staff", parks=["NANCHUAN"])
    missing = staff.post(f"/land/projects/{project.id}/supply", data={"carrier_id": str(carrier.id),
                                                                      "supplied_on": "2024-04-01"})
    assert missing.status_code == 422 and "约定动工日期" in missing.get_data(as_text=True)
    done = staff.post(f"/land/projects/{project.id}/supply", data={"carrier_id": str(carrier.id),
                                                                   "supplied_on": "2024-04-01",
                                                                   "agreed_start": "2024-06-01", "contract_no": "C-1"})
    assert done.status_code == 302
    page = staff.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "620.00 万元/亩" in page and "符合用地优先保障" in page and "12号地块" in page


def test_signing_a_project_below_the_minimum_intensity_warns(seeded, api_as, login_as):
    from decimal import Decimal

    from tests import factories

    low = factories.project("NANCHUAN", "negotiating", fixed_asset_investment=Decimal("6000"), land_mu=Decimal("50"))
    high = factories.project("NANCHUAN", "negotiating", fixed_asset_investment=Decimal("60000"),
                             land_mu=Decimal("50"))
    low_by_page = factories.project("NANCHUAN", "negotiating", fixed_asset_investment=Decimal("9000"),
                                    land_mu=Decimal("50"))
    seeded.session.commit()
    api = api_as("manager")
    signed = api.post(f"/api/v1/projects/{low.id}/transitions", json={"to": "signed", "date": "2026-03-01",
                                                                      "agreed_investment": "8000"})
    assert signed.status_code == 201
    assert signed.json["warnings"] == ["投资强度 120.00 万元/亩，低于下限 320 万元/亩（园区投资强度目标）。"]
    quiet = api.post(f"/api/v1/projects/{high.id}/transitions", json={"to": "signed", "date": "2026-03-01",
                                                                       "agreed_investment": "80000"})
    assert quiet.json["warnings"] == []
    page = login_as("manager").post(f"/projects/{low_by_page.id}/transition?to=signed",
                                    data={"signed_date": "2026-03-01", "agreed_investment": "9000"},
                                    follow_redirects=True)
    assert page.status_code == 200 and "投资强度 180.00 万元/亩，低于下限 320 万元/亩" in page.get_data(as_text=True)
