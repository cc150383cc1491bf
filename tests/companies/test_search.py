"""The list's search and filters read indexes, and find exactly what testing every company finds."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateTable

from crm.companies import listing, search, search_index, services
from crm.companies.models import Company, CompanySearchGram, CompanyTier
from crm.companies.queries import SORTS, Filters, company_list_ids
from crm.extensions import db as _db
from tests.companies.codes import valid_code
from tests.conftest import make_user
from tests.statements import recorded_statements

NAMES = ["中国石化测试分公司", "青海盐湖测试有限公司", "海东锂业股份有限公司", "西宁海东物流有限公司",
         "ABC科技（青海）有限公司", "abc数据服务有限公司", "海西%特种_材料有限公司", "格尔木光伏有限公司",
         "海南藏族自治州测试集团有限公司", "东海物流有限公司"]
QUERIES = ["海东", "海", "东海", "abc", "ABC", "zgsh", "zhongguo", "sh", "qh", "QH", "海西%", "_材", "测试集团",
           "有限公司", "锂业股份", "donghai", "不存在的名字", "青海（", "wl", "z", "光伏", valid_code(7),
           valid_code(7).lower(), valid_code(8), "gem", "GEM", "Ab", "don", "hdly", "lyx", "zzzzzz", "ab c"]


def _make_companies() -> list[Company]:
    companies = [services.create_company({"name": n}, actor=None, confirm_distinct=True) for n in NAMES]
    services.update_company(companies[1], {"credit_code": valid_code(7)}, actor=None)
    services.update_company(companies[7], {"name": "格尔木新能源有限公司"}, actor=None, confirm_distinct=True)
    services.merge_companies(companies[0], companies[9], actor=None)  # 东海物流 becomes a former name of 中国石化测试
    for i, company in enumerate(companies):
        company.updated_at = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=(i * 7) % 10)
        company.revenue = None if i % 3 == 0 else i * 100
    _db.session.add(CompanyTier(company_id=companies[2].id, tier="上市公司", year=2025))
    _db.session.commit()
    return companies


def _expected(q: str, sort: str = "updated") -> list[int]:
    """What testing the condition on every live company finds, in the list's order."""
    return list(_db.session.scalars(select(Company.id).where(Company.merged_into_id.is_(None),
                                                             search.search_condition(q)).order_by(*SORTS[sort])))


def _all_ids() -> list[int]:
    return list(_db.session.scalars(select(Company.id)))


def test_search_finds_what_a_full_scan_finds(db, api_as):
    _make_companies()
    api = api_as("manager")
    for q in QUERIES:
        listed = api.get("/api/v1/companies", query_string={"q": q, "per_page": 200}).get_json()
        assert [c["id"] for c in listed["items"]] == _expected(q), q
        assert listed["total"] == len(_expected(q)), q  # a merged company is neither listed nor counted


def test_search_reads_candidates_from_the_index_not_every_company(db):
    _make_companies()
    found = search.candidates(_db.session, "海东")
    assert found.exact and set(_db.session.scalars(found.ids)) == set(_expected("海东"))
    # Two or three letters are one gram, held by the companies whose texts hold them in any case: 格尔木's
    # initials "gem", ABC科技 and abc数据 for "Ab"; "don" adds the live company whose full pinyin starts so.
    for one_gram in ("gem", "GEM", "Ab", "zg", "don"):
        found = search.candidates(_db.session, one_gram)
        assert found.exact and set(_db.session.scalars(found.ids)) == set(_expected(one_gram)), one_gram
    # 海南藏族自治州's initials hold "zzz" (five z in a row), not six z: the condition still decides
    found = search.candidates(_db.session, "zzzzzz")
    assert not found.exact and set(_expected("zzzzzz")) < set(_db.session.scalars(found.ids)) < set(_all_ids())
    for tested in ("ＡＢＣ", "ab c", "hdly"):  # normalising gives several needles; four letters are two grams
        assert not search.candidates(_db.session, tested).exact, tested
    assert search.candidates(_db.session, "海") is None  # one character has no gram: the list tests every company
    assert list(_db.session.scalars(search.candidates(_db.session, "不存在").ids)) == []


def test_grams_follow_renames_merges_and_rebuilds(db):
    companies = _make_companies()
    renamed = companies[7]

    def grams_of(company_id):
        return set(_db.session.scalars(select(CompanySearchGram.gram)
                                       .where(CompanySearchGram.company_id == company_id)))

    assert "能源" in grams_of(renamed.id) and "光伏" in grams_of(renamed.id)  # the old name is a former name now
    assert {"东海", "物流"} <= grams_of(companies[0].id)  # the merged company's name is a former name now
    assert grams_of(companies[9].id) == set()  # and the merged company is never listed
    before = {c.id: grams_of(c.id) for c in companies}
    _db.session.execute(CompanySearchGram.__table__.delete())  # as after a bulk load that bypassed the ORM
    assert search_index.rebuild(_db.session) == len(NAMES) - 1
    assert {c.id: grams_of(c.id) for c in companies} == before


def test_rebuild_keeps_the_table_definition_whole(db):
    """The PostgreSQL rebuild drops and re-adds the keys; the model's CREATE TABLE must keep them after."""
    _make_companies()
    search_index.rebuild(_db.session)
    _db.session.commit()
    ddl = str(CreateTable(CompanySearchGram.__table__).compile(dialect=sqlite.dialect()))
    assert "PRIMARY KEY (gram, company_id)" in ddl


def test_a_deleted_company_leaves_no_grams(db):
    """The grams have no foreign key to cascade from (models.CompanySearchGram): the flush drops them."""
    company = _make_companies()[2]
    _db.session.delete(company)
    _db.session.commit()
    holders = select(func.count()).where(CompanySearchGram.company_id == company.id)
    assert _db.session.scalar(holders) == 0
    assert search.candidates(_db.session, "锂业") is not None
    assert list(_db.session.scalars(search.candidates(_db.session, "锂业").ids)) == []


def test_cli_rebuilds_the_search_index(db, runner):
    company = _make_companies()[1]
    _db.session.execute(CompanySearchGram.__table__.delete())
    _db.session.commit()
    result = runner.invoke(args=["crm", "reindex-company-search"])
    assert result.exit_code == 0, result.output
    holder = select(CompanySearchGram.company_id).where(CompanySearchGram.gram == "盐湖")
    assert _db.session.scalar(holder) == company.id


def _bulk(n: int) -> None:
    """n companies (every third 上市公司, every fifth in 江苏省), written in bulk then indexed."""
    start = (_db.session.scalar(select(Company.id).order_by(Company.id.desc()).limit(1)) or 0) + 1
    _db.session.execute(Company.__table__.insert(), [
        {"id": start + i, "name": f"列表{i:04d}科技有限公司", "name_norm": f"列表{i:04d}科技",
         "pinyin_full": f"liebiao{(i * 37) % n:04d}", "pinyin_initials": "lbkj",
         "hq_province": "江苏省" if i % 5 == 0 else "青海省", "ownership": "民企" if i % 2 else "央企",
         "updated_at": datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=(i * 13) % n),
         "created_at": datetime(2025, 1, 1, tzinfo=UTC), "revenue": None if i % 4 == 0 else (i * 7) % 50,
         "last_contact_on": None if i % 6 == 0 else date(2025, 1, 1) + timedelta(days=i % 40), "version": 1}
        for i in range(n)])
    _db.session.execute(CompanyTier.__table__.insert(), [{"company_id": start + i, "tier": "上市公司", "year": 2025}
                                                         for i in range(0, n, 3)])
    search_index.rebuild(_db.session)
    _db.session.commit()


@pytest.mark.parametrize("walk_cost", [0, 10 ** 9], ids=["sort-the-matches", "walk-the-sort-index"])
def test_every_way_of_paging_gives_the_full_order(db, monkeypatch, walk_cost):
    _bulk(300)
    manager = make_user("paging_manager", "manager")
    monkeypatch.setattr(listing, "WALK_COST", walk_cost)
    for args in ({"tier": "上市公司"}, {"q": "列表00"}, {"province": "江苏省", "ownership": "央企"}, {"q": "kj"}):
        for sort in SORTS:
            f = Filters(sort=sort, **args)
            expected = list(_db.session.scalars(company_list_ids(manager, f, today=date.today())))
            seen = []
            for page_no in range(1, 9):
                page = listing.page(_db.session, manager, f, today=date.today(), page_no=page_no, per_page=17,
                                    load=lambda _session, ids: {i: i for i in ids})
                assert page.total == len(expected)
                seen += page.items
            assert seen == expected[:8 * 17], (args, sort)


def test_dense_matches_page_along_the_sort_index(db, monkeypatch):
    _bulk(60)
    monkeypatch.setattr(listing, "COUNT_CAP", 10)  # 60 matches count as "10+": too many to sort one by one
    manager = make_user("dense_manager", "manager")
    for sort in SORTS:
        f = Filters(sort=sort, province="青海省")
        expected = list(_db.session.scalars(company_list_ids(manager, f, today=date.today())))
        page = listing.page(_db.session, manager, f, today=date.today(), page_no=2, per_page=7,
                            load=lambda _session, ids: {i: i for i in ids})
        assert page.total_capped and page.items == expected[7:14], sort


def test_search_statements_do_not_grow_with_matches(db, login_as):
    _bulk(20)
    manager = login_as("manager")
    manager.get("/companies/?q=列表")
    with recorded_statements() as few:
        manager.get("/companies/?q=列表&tier=上市公司")
    _bulk(200)
    manager.get("/companies/?q=列表&tier=上市公司")  # the writes may have dropped a filter list (core/choices)
    with recorded_statements() as many:
        html = manager.get("/companies/?q=列表&tier=上市公司").get_data(as_text=True)
    assert "共 74 条" in html
    assert len(many) == len(few), "\n".join(s[:100] for s in many)



def test_filters_count_their_matches_from_their_own_index(db):
    from sqlalchemy import text

    start = (_db.session.scalar(select(Company.id).order_by(Company.id.desc()).limit(1)) or 0) + 1
    _db.session.execute(Company.__table__.insert(), [
        {"id": start + i, "name": f"计划{i}", "name_norm": f"计划{i}", "ownership": "央企" if i % 50 == 0 else "民企",
         "hq_province": "江苏省" if i % 50 == 1 else "青海省", "updated_at": datetime(2025, 1, 1, tzinfo=UTC),
         "created_at": datetime(2025, 1, 1, tzinfo=UTC), "version": 1} for i in range(3000)])
    _db.session.commit()
    manager = make_user("explain_filters", "manager")
    with _db.engine.connect() as conn:
        pg = conn.dialect.name == "postgresql"
        conn.execute(text("ANALYZE companies" if pg else "ANALYZE"))
        for f, index in ((Filters(ownership="央企"), "ix_companies_live_ownership"),
                         (Filters(province="江苏省"), "ix_companies_live_hq_province")):
            ids = company_list_ids(manager, f, today=date.today()).order_by(None).limit(10001).subquery()
            count = select(func.count()).select_from(ids)
            sql = str(count.compile(conn, compile_kwargs={"literal_binds": True}))
            plan = "\n".join(str(r[0] if pg else r[-1])
                             for r in conn.execute(text(("EXPLAIN " if pg else "EXPLAIN QUERY PLAN ") + sql)))
            assert index in plan, plan


def test_a_started_worker_counts_common_grams_before_its_first_search(db, monkeypatch):
    """crm.core.warmup counts the common grams in one pass: a search then counts none of them itself, and
    still finds what a full scan finds."""
    _make_companies()
    monkeypatch.setattr(search, "PROBE_CAP", 3)  # "有限" (in 7 names) and "公司" count as common here
    monkeypatch.setattr(search, "_COMMON", {})
    search.warm_up(_db.session)
    assert search._COMMON["有限"] == len(_db.session.scalars(
        select(CompanySearchGram.company_id).where(CompanySearchGram.gram == "有限")).all())
    with recorded_statements() as statements:
        found = search.candidates(_db.session, "有限公司")
    assert not [s for s in statements if "GROUP BY" in s.upper()], statements
    matches = set(_db.session.scalars(search.matching_ids("有限公司", found)))
    assert matches == set(_expected("有限公司"))
