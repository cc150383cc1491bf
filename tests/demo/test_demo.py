"""The demo data set is consistent: stage facts present, funds only after signing, derived fields right."""
import random
from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import func, select, text

from crm.companies import names
from crm.companies.models import Company, ContactLog
from crm.demo.companies import NameMaker
from crm.demo.projects import DATE_FIELD
from crm.events.models import Event
from crm.extensions import db as _db
from crm.projects.models import FundsEntry, Problem, Project, StageChange
from crm.projects.stages import PATH, REQUIRED_FACTS, SIGNED_OR_LATER, Stage

TODAY = date(2026, 11, 22)


def empty_tables() -> None:
    """What conftest's db fixture does after each test, here after the module."""
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture(scope="module")
def demo(app):
    """One generated set shared by the module's read-only tests (a run takes seconds: users are hashed)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(
            args=["crm", "demo", "--companies", "300", "--seed", "7", "--today", TODAY.isoformat()])
        assert result.exit_code == 0, result.output
        yield _db
        _db.session.rollback()
        empty_tables()
        _db.session.remove()


def test_every_stage_is_present_with_its_dated_facts(demo):
    projects = demo.session.scalars(select(Project)).all()
    assert {p.stage for p in projects} == set(Stage)
    for project in projects:
        assert project.stage == project.counted_stage
        reached = PATH[: PATH.index(project.stage) + 1] if project.stage != Stage.dropped else [Stage.dropped]
        for stage in reached:
            for field in REQUIRED_FACTS[stage]:
                assert getattr(project, field) not in (None, ""), (project.id, project.stage, field)
        dates = [getattr(project, DATE_FIELD[s]) for s in PATH[1:] if getattr(project, DATE_FIELD[s])]
        assert dates == sorted(dates) and all(d <= TODAY for d in dates), project.id


def test_history_ends_at_the_current_stage(demo):
    history = defaultdict(list)
    for change in demo.session.scalars(select(StageChange).order_by(StageChange.id)):
        history[change.project_id].append(change)
    for project in demo.session.scalars(select(Project)):
        changes = history[project.id]
        if project.stage == Stage.lead:
            assert not changes
        else:
            assert changes[-1].to_stage == project.stage
            assert changes[-1].fact_date == getattr(project, DATE_FIELD[Stage(project.stage)])


def test_funds_only_for_signed_or_later_projects_and_after_signing(demo):
    rows = demo.session.execute(select(Project.stage, Project.signed_date, FundsEntry.period, FundsEntry.review_status)
                                .join(FundsEntry, FundsEntry.project_id == Project.id)).all()
    assert rows
    for stage, signed, period, status in rows:
        assert stage in SIGNED_OR_LATER
        assert signed.replace(day=1) <= period <= TODAY
        assert status == "approved"
    problems = demo.session.scalars(select(Problem)).all()
    assert problems and all(p.project.signed_date <= p.raised_on for p in problems)


def test_fair_signings_fall_on_their_edition(demo):
    rows = demo.session.execute(select(Project.signed_date, Event.start_date)
                                .join(Event, Event.id == Project.event_id)).all()
    assert rows and all(signed == start for signed, start in rows)
    years = set(demo.session.scalars(select(Event.year).where(Event.name.like("%青洽会%"))))
    assert years == set(range(2015, 2027))


def test_companies_have_valid_codes_pinyin_and_last_contact(demo):
    companies = demo.session.scalars(select(Company).where(Company.source != "央企名录")).all()
    assert len({c.name_norm for c in companies}) == len(companies) == 300
    for company in companies[:100]:
        assert company.name_norm == names.normalise_name(company.name)
        assert company.pinyin_initials == names.pinyin_initials(company.name)
        assert company.credit_code is None or names.credit_code_problem(company.credit_code) is None
    last = dict(demo.session.execute(select(ContactLog.company_id, func.max(ContactLog.date))
                                     .group_by(ContactLog.company_id)).all())
    assert last and all(c.last_contact_on == last.get(c.id) for c in companies)


def test_a_second_run_is_refused(demo, app):
    result = app.test_cli_runner().invoke(args=["crm", "demo", "--companies", "20"])
    assert result.exit_code != 0
    assert "演示数据只能写入空库" in result.output
    assert demo.session.scalar(select(func.count(Company.id)).where(Company.source != "央企名录")) == 300


def test_names_are_repeatable_from_the_seed():
    first = [NameMaker(random.Random(3)).make() for _ in range(1)]
    again = [NameMaker(random.Random(3)).make() for _ in range(1)]
    assert first == again
    maker = NameMaker(random.Random(3))
    assert len({maker.make()[1] for _ in range(2000)}) == 2000


def test_demo_users_and_texts_read_as_real_ones(demo):
    """People's names for the users, and park names (never codes such as LEDU or GEERMU) in what they wrote."""
    import re

    from crm.auth.models import User
    from crm.parks.models import Park

    codes = set(demo.session.scalars(select(Park.code)))
    users = demo.session.scalars(select(User).where(User.username.like("demo_%"))).all()
    assert users
    for user in users:
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", user.display_name), user.display_name
    summaries = demo.session.scalars(select(ContactLog.summary)).all()
    assert summaries
    shown = [s for s in summaries if any(re.search(rf"(?<![A-Z]){code}(?![A-Z])", s) for code in codes)]
    assert not shown, shown[:3]
    assert any("工业园" in s or "园区" in s or "基地" in s for s in summaries if "产业定位" in s)
