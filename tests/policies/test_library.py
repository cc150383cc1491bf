"""The seeded library: five documents split into clauses, searchable in Chinese with synonyms and filters."""
import time
from datetime import date

from crm.policies.models import PolicyDocument
from crm.policies.queries import Filters, search
from crm.seeding import run_seeders

TODAY = date(2026, 12, 7)


def test_seed_loads_the_five_documents_once(seeded):
    documents = seeded.session.query(PolicyDocument).order_by(PolicyDocument.key).all()
    assert [d.key for d in documents] == ["000", "001", "002", "003", "004"]
    assert all(len(d.clauses) > 15 for d in documents)
    by_key = {d.key: d for d in documents}
    assert by_key["004"].issuer == "青海省人民政府" and by_key["004"].issued_on == date(2022, 9, 30)
    assert by_key["003"].regions == ["NM"] and by_key["002"].parks == ["XNKF", "CDM", "HDGY"]
    assert not run_seeders().changed


def test_search_for_investment_intensity_finds_the_500_clause_of_002(seeded):
    results = search(Filters(q="投资强度"), TODAY)
    assert results[0].document.key == "002"
    best = results[0].hits[0]
    assert best.clause.path == "七、（十八）" and "500万元/亩" in best.clause.text
    assert "<mark>投资强度</mark>" in best.marked


def test_a_synonym_finds_the_clause_of_its_group(seeded):
    """锂离子电池 is in the matching synonym group of 锂电池: 001 names 锂电池 in 南川's entry."""
    keys = {r.document.key for r in search(Filters(q="锂离子电池"), TODAY)}
    assert "001" in keys


def test_every_word_of_the_query_must_be_found(seeded):
    assert search(Filters(q="投资强度 羊绒"), TODAY) == []


def test_filters_narrow_the_documents(seeded):
    assert {r.document.key for r in search(Filters(park="NANCHUAN"), TODAY)} == {"000", "001", "002", "004"}
    assert {r.document.key for r in search(Filters(q="产业集群", park="NM-none"), TODAY)} == set()
    assert {r.document.key for r in search(Filters(tag="税收"), TODAY)} >= {"000"}
    taxed = search(Filters(q="企业所得税", tag="税收"), TODAY)
    assert all("税收" in h.clause.tags for r in taxed for h in r.hits) and taxed
    assert [r.document.key for r in search(Filters(year_from=2020), TODAY)] == ["004"]


def test_an_expired_document_is_filtered_as_such(seeded):
    document = seeded.session.query(PolicyDocument).filter_by(key="000").one()
    document.expires_on = date(2015, 12, 31)
    seeded.session.commit()
    assert {r.document.key for r in search(Filters(status="expired"), TODAY)} == {"000"}
    assert "000" not in {r.document.key for r in search(Filters(status="current"), TODAY)}


def test_search_answers_quickly(seeded):
    search(Filters(q="投资强度"), TODAY)  # the tokenizer's first load is not the search's time
    started = time.perf_counter()
    for q in ("投资强度", "用地 税收", "锂电池"):
        search(Filters(q=q), TODAY)
    assert (time.perf_counter() - started) / 3 < 0.1
