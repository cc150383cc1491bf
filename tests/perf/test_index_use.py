"""The access paths the main lists rely on are served by an index (EXPLAIN), on SQLite and PostgreSQL."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import asyncpg

from crm.companies import queries
from crm.extensions import db as _db
from crm.matching import index

# (what the list needs, SQL, the index that must serve it)
PATHS = [
    ("company search by pinyin initials prefix",
     "SELECT id FROM companies WHERE pinyin_initials >= 'qh' AND pinyin_initials < 'qi' LIMIT 50",
     "ix_companies_pinyin_initials"),
    ("company search by normalised name prefix",
     "SELECT id FROM companies WHERE name_norm >= '青海' AND name_norm < '青海\U0010ffff' LIMIT 50",
     "ix_companies_name_norm"),
    ("company list by id (keyset page)", "SELECT id, name FROM companies WHERE id < 90000 ORDER BY id DESC LIMIT 50",
     None),
    ("project list by park and stage", "SELECT id FROM projects WHERE park_id = 3 AND stage = 'signed' LIMIT 50",
     ("ix_projects_park_stage", "ix_projects_stage_updated", "ix_projects_stage")),  # empty tables: any may serve
    ("board column: a stage's latest cards",
     "SELECT id FROM projects WHERE stage = 'signed' ORDER BY updated_at DESC, id DESC LIMIT 30",
     ("ix_projects_stage_updated", "ix_projects_stage")),  # a few test rows: PostgreSQL may sort after either
    ("company search: the companies holding a gram", "SELECT company_id FROM company_search_grams WHERE gram = '海东'",
     ("PRIMARY KEY", "pk_company_search_grams")),
    ("a tier's companies (the list's tier filter)", "SELECT company_id FROM company_tiers WHERE tier = '上市公司'",
     "ix_company_tiers_tier"),
    ("contact logs of a company by date",
     "SELECT id FROM contact_logs WHERE company_id = 7 ORDER BY date DESC LIMIT 50",
     "ix_contact_logs_company_date"),
]


def plan(sql: str) -> str:
    with _db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET enable_seqscan = off"))  # empty test tables: ask whether an index CAN serve
            return "\n".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))
        return "\n".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))


@pytest.mark.parametrize(("need", "sql", "index"), PATHS, ids=[p[0] for p in PATHS])
def test_list_query_uses_an_index(db, need, sql, index):
    found = plan(sql)
    if index:
        assert any(name in found for name in ((index,) if isinstance(index, str) else index)), f"{need}: {found}"
    else:  # the primary key: SQLite says "INTEGER PRIMARY KEY", PostgreSQL names pk_<table>
        assert "PRIMARY KEY" in found or "pk_companies" in found, f"{need}: {found}"
    assert "SCAN companies\n" not in found + "\n" and "Seq Scan" not in found, f"{need}: {found}"


def test_stale_companies_are_read_off_the_updated_at_index_whatever_the_plan(db):
    """The match requests look for companies edited since their terms on every request; PostgreSQL plans a
    statement prepared five times once for any value, and that plan must keep to the index too."""
    statement = index.stale_query(datetime(2026, 1, 1, tzinfo=UTC), 500)
    with _db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            sql = str(statement.compile(dialect=asyncpg.dialect()))  # $1, $2: parameters PREPARE takes
            conn.execute(text("SET enable_seqscan = off"))
            conn.execute(text("SET plan_cache_mode = force_generic_plan"))
            conn.execute(text(f"PREPARE stale AS {sql}"))
            found = "\n".join(r[0] for r in conn.execute(
                text("EXPLAIN EXECUTE stale('2026-01-01 00:00:00', 500, 500)")))
        else:
            sql = str(statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
            found = "\n".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "ix_companies_updated_at" in found, found


def test_a_tiers_merged_holders_are_found_on_the_merged_index(db):
    """The tier filter's count subtracts the tier's holders merged away: found from the few merged companies,
    not by reading the company of each of the tier's thousands of holders."""
    statement = select(queries.live_holders_count("上市公司"))
    with _db.engine.connect() as conn:
        sql = str(statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    found = plan(sql)
    assert "ix_companies_merged_into_id" in found, found
    assert "USING INTEGER PRIMARY KEY" not in found, found
