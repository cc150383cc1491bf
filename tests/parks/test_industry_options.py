"""Industries offered in forms and filters: those of the provinces that have parks here, each name once."""
from collections import Counter

from sqlalchemy import select

from crm.parks.models import Park, Region
from crm.parks.queries import industry_options


def test_only_the_provinces_with_parks_offer_their_industries_and_none_twice(seeded, login_as):
    names = [name for _id, name in industry_options()]
    assert names and "新能源产业" in names
    assert not [n for n, count in Counter(names).items() if count > 1]
    page = login_as("officer").get("/companies/new").get_data(as_text=True)
    assert "（NM）" not in page and "（内蒙古自治区）" not in page
    assert page.count(">新能源产业<") == 1


def test_an_inner_mongolian_park_brings_its_industries_named_by_province(seeded, login_as):
    baotou = seeded.session.scalar(select(Region).where(Region.code == "NM-BT"))
    seeded.session.add(Park(code="BTXT", name="包头稀土高新技术产业开发区", level="key_park", region_id=baotou.id))
    seeded.session.commit()
    names = [name for _id, name in industry_options()]
    assert "新能源产业（青海省）" in names and "新能源产业（内蒙古自治区）" in names
    assert not [n for n, count in Counter(names).items() if count > 1]
    page = login_as("manager").get("/projects/").get_data(as_text=True)
    assert "新能源产业（内蒙古自治区）" in page
