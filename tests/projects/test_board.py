"""The board at scale: each column shows its latest cards only, with the stage's full count and a link to the list."""
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
    shown = [p for p in projects if f'data-project="{p.id}"' in html]
    assert shown == projects[:3]  # the three most recently changed
    assert "查看全部 5 个" in html and "/projects/?stage=negotiating" in html


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
    assert statements() <= few + 4  # at most one more read per column that was empty before
