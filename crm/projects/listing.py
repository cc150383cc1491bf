"""Lean reads for the pages that show a few fields of many projects: the list, the board and the API list.

They select just the columns shown, with the names shown joined in: loading Project entities with their
company, park, event and officer was most of these pages' time. Rows come back as named tuples keeping
Project's attribute names (`row.stage`, `row.planned_start_date`), so `is_late` and the templates read them
as they read entities; a named tuple's attribute costs ~30 ns where a SQLAlchemy Row's costs ~1.5 µs, and a
board reads some 2,000 of them.
"""
from collections import namedtuple
from functools import cache

from sqlalchemy import Select, bindparam, func, select, union_all
from sqlalchemy.orm import aliased

from crm.auth.models import User
from crm.companies.models import Company
from crm.core.scope import visible_park_ids
from crm.events.models import Event
from crm.parks.models import Park
from crm.projects.models import Project
from crm.projects.queries import read, visible_projects
from crm.projects.serialise import SUMMARY_COLUMNS

# What `is_late` reads.
LATE_COLUMNS = (Project.stage, Project.planned_sign_date, Project.planned_start_date,
                Project.planned_production_date)
BOARD_STATEMENTS_KEPT = 64  # one per park scope in use (managers share one; park staff one per set of parks)


def user_name(user):
    """The SQL twin of `User.name`: the display name, or the username when it is empty."""
    return func.coalesce(func.nullif(user.display_name, ""), user.username)


@cache
def _record(fields: tuple[str, ...]) -> type:
    return namedtuple("ProjectRecord", fields)


def _records(statement, params: dict) -> list[tuple]:
    rows = read(statement, params)
    make = _record(rows[0]._fields)._make if rows else None
    return [make(row) for row in rows]


def _by_ids(*columns, joins) -> Select:
    """Columns of the projects whose ids are bound as `ids`. Built once: building a statement with four joins
    (and its cache key, from scratch) costs more than running it."""
    query = select(*columns)
    for target, on in joins:
        query = query.outerjoin(target, on)
    return query.where(Project.id.in_(bindparam("ids", expanding=True)))


_officer = aliased(User)
_LIST = _by_ids(Project.id, Project.name, *LATE_COLUMNS, Project.agreed_investment, Project.signed_date,
                Company.name.label("company_name"), Park.name.label("park_name"), Event.name.label("event_name"),
                user_name(_officer).label("officer_name"),
                joins=[(Company, Company.id == Project.company_id), (Park, Park.id == Project.park_id),
                       (Event, Event.id == Project.event_id), (_officer, _officer.id == Project.officer_id)])
_SUMMARY = _by_ids(*(getattr(Project, name) for name in SUMMARY_COLUMNS),
                   Company.name.label("company_name"), Park.code.label("park_code"),
                   joins=[(Company, Company.id == Project.company_id), (Park, Park.id == Project.park_id)])


def list_rows(ids: list[int]) -> list[tuple]:
    """The list's columns of these projects (already scoped and paged by id), in no particular order."""
    return _records(_LIST, {"ids": ids})


def summary_rows(ids: list[int]) -> list[tuple]:
    """What `serialise.summary_json` needs of these projects (already scoped), in no particular order."""
    return _records(_SUMMARY, {"ids": ids})


def board_cards(user, stages: list[str], limit: int) -> dict[str, list[tuple]]:
    """Each stage's `limit` most recently changed projects that the user may see, in one statement."""
    columns: dict[str, list[tuple]] = {stage: [] for stage in stages}
    for card in _records(_board_statement(user, tuple(stages)), {"limit": limit}):
        columns[card.stage].append(card)
    return columns


_board_statements: dict[tuple, Select] = {}


def _board_statement(user, stages: tuple[str, ...]) -> Select:
    """A UNION ALL of one indexed top-N read per stage (ix_projects_stage_updated), sorted newest first, with
    the park's name joined to the few rows kept (joined inside, PostgreSQL would join and sort every row).

    Its two dozen clauses take about as long to build as to run, so it is built once per park scope: the
    statement depends on the user only through that scope (crm.core.scope), and holds no other value."""
    scope = visible_park_ids(user)
    key = (stages, None if scope is None else frozenset(scope))
    statement = _board_statements.get(key)
    if statement is None:
        latest = (visible_projects(user)
                  .with_only_columns(Project.id, Project.name, *LATE_COLUMNS, Project.agreed_investment,
                                     Project.park_id, Project.updated_at)
                  .order_by(Project.updated_at.desc(), Project.id.desc()).limit(bindparam("limit")))
        parts = [latest.where(Project.stage == stage).subquery() for stage in stages]
        cards = union_all(*(select(part) for part in parts)).subquery()
        # UNION ALL keeps no order of its own: sort the few rows kept (board_cards deals them out by stage)
        statement = (select(cards.c.id, cards.c.name, cards.c.stage, cards.c.planned_sign_date,
                            cards.c.planned_start_date, cards.c.planned_production_date, cards.c.agreed_investment,
                            Park.name.label("park_name"))
                     .outerjoin(Park, Park.id == cards.c.park_id)
                     .order_by(cards.c.updated_at.desc(), cards.c.id.desc()))
        if len(_board_statements) >= BOARD_STATEMENTS_KEPT:
            _board_statements.clear()
        _board_statements[key] = statement
    return statement
