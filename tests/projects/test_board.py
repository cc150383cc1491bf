"""The board at scale: each column shows its latest cards only, with the stage's full count and a link to the list."""
import re
from datetime import timedelta

from crm.core.db import utcnow
from crm.projects import pages
from crm.projects.stages import Stage
from tests import factories
from tests.statements import recorded_statements


def test_board_column_is_bounded_with_count_and_link_to_the_list(login_as, seeded, monkeypatch):
    monkeypatch.setattr(pages, "BOARD_LIMIT", 3)
    now = utcnow()
    projects = [factories.project("NANCHUAN", Stage.negotiating, name=f"在谈项目{i}") for i in range(5)]
    for age, project in enumerate(projects):
        project.updated_at = now - timedelta(days=age)
    seeded.session.commit()
    html = login_as("manager").get("/projects/board").get_data(as_text=True)
    assert _cards(html) == [p.id for p in projects[:3]]  # the three most recently changed, newest first
    assert "查看全部 5 个" in html and "/projects/?stage=negotiating" in html


def _cards(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-project="(\d+)"', html)]


def _moves(html: str) -> set[tuple[int, str]]:
    return {(int(i), to) for i, to in re.findall(r'hx-get="/projects/(\d+)/transition\?to=(\w+)&amp;next=', html)}


def test_columns_keep_newest_first_across_stages(login_as, seeded):
    now = utcnow()
    ages = {Stage.lead: (3, 1), Stage.signed: (0, 2), Stage.started: (5, 4)}
    made = {stage: [factories.project("GANHE", stage) for _ in days] for stage, days in ages.items()}
    for stage, days in ages.items():
        for project, age in zip(made[stage], days, strict=True):
            project.updated_at = now - timedelta(days=age)
    seeded.session.commit()
    html = login_as("manager").get("/projects/board").get_data(as_text=True)
    newest_first = [p.id for stage in (Stage.lead, Stage.signed, Stage.started)
                    for p in sorted(made[stage], key=lambda p: p.updated_at, reverse=True)]
    assert _cards(html) == newest_first


def test_each_park_scope_sees_its_own_cards_and_counts(login_as, seeded):
    nanchuan = factories.project("NANCHUAN", Stage.signed)
    ganhe = [factories.project("GANHE", Stage.signed) for _ in range(2)]
    seeded.session.commit()
    for parks, mine in ((["NANCHUAN"], [nanchuan]), (["GANHE"], ganhe), (["NANCHUAN"], [nanchuan])):
        html = login_as("park_staff", parks=parks).get("/projects/board").get_data(as_text=True)
        assert sorted(_cards(html)) == sorted(p.id for p in mine), parks
        assert f'签约 <span class="badge text-bg-secondary">{len(mine)}</span>' in html
    html = login_as("manager").get("/projects/board").get_data(as_text=True)
    assert sorted(_cards(html)) == sorted(p.id for p in [nanchuan, *ganhe])


def test_move_buttons_follow_the_role(login_as, seeded):
    lead, signed = factories.project("NANCHUAN", Stage.lead), factories.project("NANCHUAN", Stage.signed)
    seeded.session.commit()

    def moves(role: str, **kwargs) -> set[tuple[int, str]]:
        return _moves(login_as(role, **kwargs).get("/projects/board").get_data(as_text=True))

    assert moves("officer") == {(lead.id, "negotiating")}  # officers work up to signing
    assert moves("park_staff", parks=["NANCHUAN"]) == {(signed.id, "preparing")}  # park staff from signing on
    assert moves("manager") == {(lead.id, "negotiating"), (signed.id, "preparing")}


def test_board_statement_count_does_not_grow_with_cards(login_as, seeded):
    client = login_as("manager")

    def statements() -> int:
        with recorded_statements(seeded.engine) as seen:
            assert client.get("/projects/board").status_code == 200
        return len(seen)

    factories.project("NANCHUAN", Stage.lead)
    seeded.session.commit()
    few = statements()
    for stage in (Stage.lead, Stage.signed, Stage.started):
        for _ in range(4):
            factories.project("GANHE", stage)
    seeded.session.commit()
    assert statements() <= few  # every column's cards in one read, however many columns have cards
