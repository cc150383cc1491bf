"""What each worker caches for matching (park terms, signed-project evidence, company postings) follows
every write: in this process, in another one (a separate session, as another worker would commit), and
never keeps what a rolled-back transaction showed."""
from datetime import date, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from crm.companies.models import Company
from crm.contacts import services as contacts
from crm.core.db import utcnow
from crm.matching import index, postings, queries, versions
from crm.matching.scoring import CompanyProfile
from crm.parks.models import ChainLink, Industry
from crm.projects.models import Project
from crm.projects.stages import Stage
from tests import factories

KEYWORD = "牙膏"  # a word of jieba's dictionary that no seeded park or link mentions


def _link(session, name: str = "储能和锂电池") -> ChainLink:
    return session.scalar(select(ChainLink).where(ChainLink.name == name))


def _toothpaste_maker(seeded) -> Company:
    company = factories.company("洁齿日化有限公司", main_business=KEYWORD)
    seeded.session.commit()
    return company


def _names(link_id: int) -> list[str]:
    """The companies matched to a link, committed as a request does (terms refreshed on the way are kept)."""
    names = [m.company.name for m in queries.companies_for_link(link_id, user=None)]
    factories.db.session.commit()
    return names


def _nanchuan_reasons(main_business: str) -> list[str]:
    ranking = queries.parks_for_profile(CompanyProfile(main_business=main_business), user=None)
    return [r for m in ranking.matches if m.park.code == "NANCHUAN" for r in m.reasons]


def test_a_keyword_added_to_a_link_is_matched_by_the_next_request(seeded):
    _toothpaste_maker(seeded)
    link = _link(seeded.session)
    assert _names(link.id) == [] and _nanchuan_reasons(KEYWORD) == []  # both caches built without it
    link.keywords = [*link.keywords, KEYWORD]  # straight on the link: the park's own row is not touched
    seeded.session.commit()
    assert _names(link.id) == ["洁齿日化有限公司"]
    assert any("环节「储能和锂电池」相符" in r for r in _nanchuan_reasons(KEYWORD))


def test_a_link_changed_by_another_worker_is_seen_here(seeded):
    _toothpaste_maker(seeded)
    link_id = _link(seeded.session).id
    assert _names(link_id) == []
    with Session(seeded.engine) as other:  # another process's session: shares only the database
        link = _link(other)
        link.keywords = [*link.keywords, KEYWORD]
        other.commit()
    assert _names(link_id) == ["洁齿日化有限公司"]
    with Session(seeded.engine) as other:
        other.delete(_link(other))
        other.commit()
    assert queries.find_link(link_id) is None and queries.companies_for_link(link_id, user=None) == []


def test_nothing_built_from_a_rolled_back_change_is_served_afterwards(seeded):
    _toothpaste_maker(seeded)
    link = _link(seeded.session)
    assert _names(link.id) == []
    link.keywords = [*link.keywords, KEYWORD]
    seeded.session.flush()
    found = [m.company.name for m in queries.companies_for_link(link.id, user=None)]
    assert found == ["洁齿日化有限公司"]  # cached from rows this transaction has not committed
    seeded.session.rollback()
    assert _names(link.id) == []
    assert _nanchuan_reasons(KEYWORD) == []


def test_evidence_follows_the_projects_stage(seeded):
    owner = factories.company("甲储能有限公司", main_business="锂离子电池储能系统集成")
    project = factories.project("NANCHUAN", Stage.signed, company=owner, name="甲储能电站项目")
    seeded.session.commit()
    index.refresh_company_terms([owner.id])
    seeded.session.commit()
    evidence = "同类项目已在该园区签约：甲储能电站项目（2025年签约）"
    assert evidence in _nanchuan_reasons("储能系统集成，锂离子电池")
    with Session(seeded.engine) as other:
        other.get(Project, project.id).stage = Stage.dropped
        other.commit()
    seeded.session.rollback()
    assert evidence not in _nanchuan_reasons("储能系统集成，锂离子电池")
    with Session(seeded.engine) as other:  # signed again, renamed: the worker's copy is brought up to date
        changed = other.get(Project, project.id)
        changed.stage, changed.name = Stage.started, "甲储能电站二期项目"
        other.commit()
    seeded.session.rollback()
    assert "同类项目已在该园区落地：甲储能电站二期项目（已开工）" in _nanchuan_reasons("储能系统集成，锂离子电池")


def test_company_caches_follow_industry_and_merges(seeded):
    industry = seeded.session.scalar(select(Industry).where(Industry.name == "锂及锂电池"))
    company = factories.company("乙电池有限公司", main_business="锂离子电池")
    other = factories.company("丙电池有限公司", main_business="锂离子电池")
    seeded.session.commit()
    assert postings.company_industries()[company.id] == 0
    assert other.id not in postings.merged_companies()
    company.industry_id = industry.id
    other.merged_into_id = company.id
    seeded.session.commit()
    assert postings.company_industries()[company.id] == industry.id
    assert other.id in postings.merged_companies()


def test_bulk_statements_replace_the_tokens_they_concern_only(seeded):
    company = factories.company("丁公司", main_business="锂电池")
    factories.project("NANCHUAN", Stage.negotiating, company=company)
    seeded.session.commit()
    before = dict(versions.current())
    seeded.session.execute(update(Company).values(last_contact_on=date(2026, 1, 5)))  # the contact-log service's
    seeded.session.execute(update(Project).values(status_color="red"))  # the daily lateness job's
    seeded.session.commit()
    assert versions.current() == before
    seeded.session.execute(update(Project).values(stage=Stage.signed))
    chain_id = _link(seeded.session).chain_id
    seeded.session.execute(insert(ChainLink), [{"chain_id": chain_id, "name": "新环节", "keywords": [KEYWORD]}])
    seeded.session.commit()
    after = versions.current()
    assert after[versions.PROJECTS] != before[versions.PROJECTS] and after[versions.PARKS] != before[versions.PARKS]
    assert after[versions.COMPANIES] == before[versions.COMPANIES]


def test_an_edit_that_leaves_a_companys_terms_keeps_every_cache(seeded):
    company = factories.company("戊电池有限公司", main_business="锂离子电池")
    seeded.session.commit()
    index.refresh_stale()
    seeded.session.commit()
    before = versions.current()[versions.COMPANIES]
    edited_at = company.updated_at
    # A contact logged is no edit of the company: nothing to recompute.
    contacts.add_log(company, {"date": date(2026, 1, 5), "kind": "电话", "summary": "电话沟通"}, actor=None)
    seeded.session.commit()
    assert company.last_contact_on == date(2026, 1, 5) and company.updated_at == edited_at
    assert index.refresh_stale() == 0
    # An edit outside the terms moves updated_at, so the terms are recomputed...
    company.website = "https://jiechi.example.cn"
    seeded.session.commit()
    assert index.refresh_stale() == 1
    seeded.session.commit()
    assert versions.current()[versions.COMPANIES] == before  # ...to the same terms: nothing to rebuild
    company.main_business = "钠离子电池"
    seeded.session.commit()
    index.refresh_stale()
    seeded.session.commit()
    assert versions.current()[versions.COMPANIES] != before


def test_evidence_is_built_anew_once_many_projects_changed(seeded, monkeypatch):
    """Bringing a copy up to date appends each changed project; past REBUILD_BEYOND of them it is built anew."""
    monkeypatch.setattr(index, "REBUILD_BEYOND", 1)
    builds = []
    real_build = index._build_evidence
    monkeypatch.setattr(index, "_build_evidence", lambda: builds.append(1) or real_build())
    project = factories.project("NANCHUAN", Stage.signed, company=factories.company("己储能有限公司"), name="一期")
    seeded.session.commit()
    _nanchuan_reasons("储能")
    for name in ("二期", "三期"):
        with Session(seeded.engine) as other:
            other.get(Project, project.id).name = name
            other.commit()
        seeded.session.rollback()
        _nanchuan_reasons("储能")
    assert len(builds) == 2  # the first copy, and again at the second change (one change is brought up to date)


def test_companies_dated_in_the_future_do_not_hide_one_edited_now(seeded):
    """Imported or clock-skewed rows dated ahead are read on every refresh, after those edited up to now."""
    ahead = [factories.company(f"超前日期{i}有限公司", main_business="光伏组件") for i in range(3)]
    edited = factories.company("刚编辑有限公司", main_business="软件开发")
    seeded.session.commit()
    index.refresh_stale()
    seeded.session.commit()
    later = utcnow() + timedelta(days=30)
    seeded.session.execute(update(Company).where(Company.id.in_([c.id for c in ahead])).values(updated_at=later))
    seeded.session.commit()
    assert index.refresh_stale() == 3  # recomputed once, their terms stamped with their future time
    seeded.session.commit()
    edited.main_business = "储能电池系统集成"
    seeded.session.commit()
    assert index.refresh_stale(limit=2) == 1  # the company edited now comes first, within any limit
    seeded.session.commit()
    assert index.refresh_stale() == 0
