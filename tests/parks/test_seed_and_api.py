"""Seeded parks, bases, chains and links; idempotent seeding; the parks API."""
from sqlalchemy import func, select

from crm.parks.models import Chain, ChainLink, Park


def test_seed_gives_three_key_parks_fifteen_bases_and_their_chains(runner, db):
    result = runner.invoke(args=["crm", "seed"])
    assert result.exit_code == 0, result.output
    key_parks = db.session.scalars(select(Park).where(Park.parent_id.is_(None), Park.level == "key_park")).all()
    assert {p.name for p in key_parks} == {"西宁经济技术开发区", "柴达木循环经济试验区", "海东工业园区"}
    assert db.session.scalar(select(func.count()).select_from(Park).where(Park.level == "base")) == 15
    nanchuan = db.session.scalar(select(Park).where(Park.code == "NANCHUAN"))
    lithium = next([link.name for link in chain.links] for chain in nanchuan.chains if "锂" in chain.name)
    assert lithium == ["电池级碳酸锂", "正极、负极、隔膜材料", "储能和锂电池"]
    assert db.session.scalar(select(func.count()).select_from(Chain)) >= 25
    assert db.session.scalar(select(func.count()).select_from(ChainLink)) >= 75


def test_second_seed_changes_nothing(runner, db):
    runner.invoke(args=["crm", "seed"])
    second = runner.invoke(args=["crm", "seed"])
    assert second.exit_code == 0
    assert "nothing changed" in second.output


def test_parks_api_lists_parks_with_parent_and_ordered_links(api_as, seeded):
    api = api_as("officer")
    body = api.get("/api/v1/parks?per_page=200").get_json()
    assert body["total"] == 18 and body["page"] == 1
    by_code = {p["code"]: p for p in body["items"]}
    assert by_code["NANCHUAN"]["parent"] == "XNKF"
    assert by_code["XNKF"]["parent"] == ""
    links = [link["name"] for chain in by_code["NANCHUAN"]["chains"] for link in chain["links"]]
    assert links.index("电池级碳酸锂") < links.index("储能和锂电池")
    assert api.get("/api/v1/parks/NOPE").status_code == 404


def test_park_pages_show_positioning(login_as, seeded):
    client = login_as("officer")
    page = client.get("/parks/NANCHUAN").get_data(as_text=True)
    assert "电池级碳酸锂" in page
    assert client.get("/parks/").status_code == 200
