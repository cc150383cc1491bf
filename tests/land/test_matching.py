"""Carrier matching: the carriers that fit a project's needs, in its own park first and then the parks the
matching engine ranks for it, with reasons in words; and the open projects a carrier fits."""
from decimal import Decimal

from crm.land import services
from tests import factories
from tests.land.conftest import parcel


def _lithium_project(**fields):
    company = factories.company("青海锂材新能源有限公司", main_business="电池级碳酸锂、锂电池正极材料")
    return factories.project("NANCHUAN", "negotiating", company=company, name="锂电材料项目", **fields)


def test_matches_fit_the_need_with_reasons_in_words_own_park_first(seeded, api_as, admin):
    parcel(admin, name="12号地块", area="86", serviced=True)
    parcel(admin, name="3号地块", area="40")  # too small for 60 亩
    parcel(admin, name="8号地块", area="120", land_use="商服")  # not industrial land
    taken = parcel(admin, name="5号地块", area="90")
    services.move_carrier(taken, "intended", fact_date="2025-01-01", actor=admin)  # not on offer any more
    parcel(admin, "CHAERHAN", "察尔汗2号地块", area="300")
    project = _lithium_project()
    seeded.session.commit()
    api = api_as("officer")
    stated = api.post(f"/api/v1/projects/{project.id}/needs", json={"kind": "land", "land_mu": "60",
                                                                    "land_use": "工业", "power_kva": "5000"})
    assert stated.status_code == 201, stated.json
    found = api.get(f"/api/v1/projects/{project.id}/carrier-matches").json
    names = [m["carrier"]["name"] for m in found["items"]]
    assert names[0] == "12号地块" and "3号地块" not in names and "8号地块" not in names and "5号地块" not in names
    assert found["items"][0]["reasons"][:2] == ["南川 12号地块 可供 86 亩，工业用地，已七通一平", "项目拟落户园区"]
    assert "供电能力未登记" in found["items"][0]["reasons"]
    if "察尔汗2号地块" in names:  # another park only where the engine ranks it for a lithium company
        assert any("匹配引擎推荐" in r for r in found["items"][names.index("察尔汗2号地块")]["reasons"])


def test_a_project_without_a_need_uses_its_stated_land_and_bad_needs_name_the_field(seeded, api_as, admin):
    parcel(admin, name="12号地块", area="86")
    project = _lithium_project(land_mu=Decimal("50"))
    bare = _lithium_project()
    seeded.session.commit()
    api = api_as("manager")
    assert [m["carrier"]["name"] for m in api.get(f"/api/v1/projects/{project.id}/carrier-matches").json["items"]] \
        == ["12号地块"]
    nothing = api.get(f"/api/v1/projects/{bare.id}/carrier-matches").json
    assert nothing["items"] == [] and nothing["need"] is None
    bad = api.post(f"/api/v1/projects/{project.id}/needs", json={"kind": "land", "land_mu": "", "land_use": "住宅"})
    assert bad.status_code == 422 and set(bad.json["error"]["fields"]) == {"land_mu", "land_use"}


def test_park_staff_see_only_their_parks_carriers_among_the_matches(seeded, api_as, admin):
    parcel(admin, name="12号地块", area="86")
    parcel(admin, "GANHE", "甘河5号地块", area="86")
    project = factories.project("GANHE", "negotiating", land_mu=Decimal("50"))
    seeded.session.commit()
    staff = api_as("park_staff", parks=["GANHE"])
    assert [m["park"] for m in staff.get(f"/api/v1/projects/{project.id}/carrier-matches").json["items"]] == \
        ["GANHE"]


def test_an_idle_carrier_lists_the_open_projects_it_fits(seeded, login_as, admin):
    carrier = parcel(admin, name="12号地块", area="86")
    fitting = _lithium_project()
    too_big = factories.project("NANCHUAN", "lead", name="大项目")
    from crm.land import needs

    needs.state_need(fitting, actor=admin, values={"kind": "land", "land_mu": "60"})
    needs.state_need(too_big, actor=admin, values={"kind": "land", "land_mu": "200"})
    seeded.session.commit()
    staff = login_as("park_staff", parks=["NANCHUAN"])
    page = staff.get(f"/land/carriers/{carrier.id}").get_data(as_text=True)
    assert "锂电材料项目" in page and "需用地 60 亩" in page and "本园区项目" in page and "大项目" not in page
    fragment = staff.get(f"/land/projects/{fitting.id}/matches", headers={"HX-Request": "true"})
    assert "南川 12号地块 可供 86 亩，工业用地" in fragment.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)
