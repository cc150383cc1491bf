"""Short names, aliases and any word's pinyin find a company, through the search index, as the name does."""
import pytest

from crm.companies import services
from crm.companies.models import Company
from crm.core.seedfiles import ChangeCounter


def _names(page: str) -> list[str]:
    return [n for n in ("中国石油化工集团有限公司", "青海蓝昌物流有限公司", "中国石油天然气集团有限公司",
                        "西宁长昌建材有限公司") if n in page]


@pytest.fixture
def companies(seeded):
    """The central SOEs of the seed (with their short names) and a few companies of our own."""
    for name in ("青海蓝昌物流有限公司", "西宁长昌建材有限公司"):
        services.create_company({"name": name}, actor=None)
    seeded.session.commit()
    return seeded


SINOPEC, CNPC, LANCHANG = "中国石油化工集团有限公司", "中国石油天然气集团有限公司", "青海蓝昌物流有限公司"


@pytest.mark.parametrize(("typed", "found"), [
    ("中国石化", SINOPEC), ("中石化", SINOPEC), ("zgsh", SINOPEC), ("shihua", SINOPEC), ("zhongshihua", SINOPEC),
    ("中石油", CNPC), ("lanchang", LANCHANG), ("LanChang", LANCHANG),
])
def test_the_search_box_finds_a_company_by_what_people_type(companies, login_as, typed, found):
    page = login_as("officer").get("/companies/", query_string={"q": typed}).get_data(as_text=True)
    assert found in _names(page), f"{typed!r} should find {found}"


def test_a_word_inside_the_name_is_not_mistaken_for_another(companies, login_as):
    page = login_as("officer").get("/companies/", query_string={"q": "lanchang"}).get_data(as_text=True)
    assert "西宁长昌建材有限公司" not in page  # changchang, not lanchang


def test_aliases_typed_on_the_form_are_searched_and_shown(companies, login_as):
    officer = login_as("officer")
    answer = officer.post("/companies/new", data={"name": "青海盐湖工业股份有限公司", "ownership": "地方国企",
                                                  "aliases": "盐湖股份\n青海盐湖", "industry_id": "0",
                                                  "officer_id": "0"})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:1000]
    company = companies.session.query(Company).filter_by(name="青海盐湖工业股份有限公司").one()
    assert company.aliases == ["盐湖股份", "青海盐湖"]
    assert "盐湖股份" in officer.get(f"/companies/{company.id}").get_data(as_text=True)
    for typed in ("盐湖股份", "yhgf"):
        page = officer.get("/companies/", query_string={"q": typed}).get_data(as_text=True)
        assert "青海盐湖工业股份有限公司" in page, typed


def test_the_search_reads_the_index_for_an_alias(companies):
    """The candidates come from the gram index (a bounded set), not from testing every company."""
    from crm.companies import search

    found = search.candidates(companies.session, "中石化")
    assert found is not None and found.held is not None
    ids = set(companies.session.scalars(search.matching_ids("中石化", found)))
    sinopec = companies.session.query(Company).filter_by(name="中国石油化工集团有限公司").one()
    assert ids == {sinopec.id}


def test_seeding_short_names_keeps_an_officers_own_aliases_and_is_idempotent(companies):
    from crm.companies.seed import seed_central_soes

    sinopec = companies.session.query(Company).filter_by(name="中国石油化工集团有限公司").one()
    sinopec.aliases = ["石化集团"]
    companies.session.commit()
    seed_central_soes(ChangeCounter())
    companies.session.commit()
    assert sinopec.aliases == ["石化集团", "中国石化", "中石化"]
    again = ChangeCounter()
    seed_central_soes(again)
    assert not again.changed
