"""Run in a fresh interpreter: migrate an empty database to REVISION, store demo rows with the schema of that
revision, upgrade to head, and print what a test compares (JSON on the last line).

    python -m tests.hardening.upgrade_run REVISION     (CRM_DATABASE_URL, and PGOPTIONS for a schema)

The rows are written by reflecting the tables as they stand at REVISION, never through today's models, as an
old installation holds them.
"""
import importlib.util
import json
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import flask_migrate
from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, MetaData, Numeric, String, func, select

DEMO = {  # table -> rows; every other non-null column gets a plain value of its type
    "regions": [{"code": "630000", "name": "青海省", "level": "province"}],
    "users": [{"username": "officer1", "role": "officer"}],
    "industries": [{"code": "lithium", "name": "盐湖锂电", "province": "青海"}],
    "parks": [{"code": "CAIDAM", "name": "柴达木循环经济试验区"}],
    "companies": [
        {"name": "青海盐湖锂业股份有限公司", "name_norm": "青海盐湖锂业", "former_norms": "盐湖锂业",
         "pinyin_initials": "qhyhly", "credit_code": "91630000MA7XYZ1234"},
        {"name": "Qinghai Lithium Tech Co.", "name_norm": "QINGHAI LITHIUM TECH", "former_norms": "",
         "pinyin_initials": "QLT"},
        {"name": "格尔木光伏科技有限公司", "name_norm": "格尔木光伏科技", "former_norms": "",
         "pinyin_initials": "gemgfkj", "merged_into_id": 1},
    ],
    "company_tiers": [{"tier": "中国企业500强", "year": 2024}],
    "contacts": [{"name": "张经理", "mobile": "13800000000"}],
    "projects": [{"name": "年产2万吨碳酸锂项目", "stage": "negotiating"}],
    "contact_logs": [{"date": date(2025, 3, 1), "kind": "拜访", "summary": "洽谈扩产"}],
    "funds_entries": [{"period": date(2025, 3, 1), "amount": Decimal("55")}],
    "problems": [{"description": "用地未报批", "status": "open", "raised_on": date(2025, 3, 2)}],
}


def _plain(column, n: int):
    kind = column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 0
    if isinstance(kind, Numeric):
        return Decimal("0")
    if isinstance(kind, DateTime):
        return datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC).replace(tzinfo=None)
    if isinstance(kind, Date):
        return date(2025, 1, 2)
    if isinstance(kind, JSON):
        return []
    if isinstance(kind, String) and kind.length:
        return f"{column.name[:4]}{n}"[:kind.length]
    return f"{column.name}{n}"


def _row(table, values: dict, ids: dict, n: int) -> dict:
    row = dict(values)
    for column in table.columns:
        generated_key = column.primary_key and isinstance(column.type, Integer) and not column.foreign_keys
        if column.name in row or column.nullable or generated_key or column.server_default is not None:
            continue
        referred = next(iter(column.foreign_keys), None)
        row[column.name] = ids[referred.column.table.name][0] if referred else _plain(column, n)
    return row


def fill(connection, revision: str) -> dict:
    meta = MetaData()
    meta.reflect(connection)
    ids, counts = {}, {}
    for name, rows in DEMO.items():
        table = meta.tables[name]
        for n, values in enumerate(rows):
            result = connection.execute(table.insert().values(_row(table, values, ids, n)))
            key = result.inserted_primary_key
            ids.setdefault(name, []).append(key[0] if key else None)
        counts[name] = len(rows)
    if "company_search_grams" in meta.tables:
        _write_grams_as_at(connection, revision)
    return counts


def _write_grams_as_at(connection, revision: str) -> None:
    """The grams the application of that revision wrote with each company: those of the newest data
    migration up to it, which froze that revision's rule."""
    versions = Path(__file__).resolve().parents[2] / "crm" / "migrations" / "versions"
    rule = "1cdc3d0c1095" if revision == "1cdc3d0c1095" else "dad8c7220599"
    path = next(versions.glob(f"{rule}_*.py"))
    spec = importlib.util.spec_from_file_location(f"frozen_{rule}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module._write_grams(connection)


def main(revision: str) -> None:
    from crm import create_app
    from crm.companies import search_index
    from crm.companies.models import CompanySearchGram
    from crm.extensions import db

    app = create_app()
    with app.app_context():
        flask_migrate.upgrade(revision=revision)
        with db.engine.begin() as connection:
            stored = fill(connection, revision)
        flask_migrate.upgrade()
        flask_migrate.check()  # raises when the upgraded schema differs from the models, as `flask db check`
        counts = {name: db.session.scalar(select(func.count()).select_from(db.metadata.tables[name]))
                  for name in stored}
        migrated = sorted(db.session.execute(select(CompanySearchGram.gram, CompanySearchGram.company_id)).all())
        # what today's code writes for the same companies on a head database
        search_index.rebuild(db.session)
        fresh = sorted(db.session.execute(select(CompanySearchGram.gram, CompanySearchGram.company_id)).all())
        db.session.rollback()
    print(json.dumps({"stored": stored, "counts": counts, "grams": [list(g) for g in migrated],
                      "fresh_grams": [list(g) for g in fresh]}))


if __name__ == "__main__":
    main(sys.argv[1])
