"""Helpers for the jobs tests: companies with logs, and an environment for `flask` subprocesses."""
import os
import sys
from datetime import date

import pytest
from sqlalchemy import select, text

from crm.companies.models import Company, ContactLog
from crm.extensions import db as _db
from crm.jobs.models import Notification
from tests import factories
from tests.conftest import make_user

DAY = date(2026, 5, 4)  # a Monday


@pytest.fixture
def officer(db):
    user = make_user("officer_zhang", "officer")
    user.email = "zhang@example.com"
    db.session.commit()
    return user


def company_with_follow_up(officer, name: str, follow_up: date = DAY, **fields) -> Company:
    company = factories.company(name, officer_id=officer.id, **fields)
    _db.session.add(ContactLog(company_id=company.id, date=date(2026, 4, 1), kind="电话", officer_id=officer.id,
                               summary="电话沟通投资意向", next_step="寄送园区资料", next_follow_up=follow_up))
    _db.session.flush()
    return company


def notifications(user=None) -> list[Notification]:
    query = select(Notification).order_by(Notification.id)
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    _db.session.expire_all()
    return list(_db.session.scalars(query))


@pytest.fixture
def subprocess_env(app, database, db, project_root):
    """Environment for `python -m flask --app wsgi ...` against the test database (same schema)."""
    url, _options, dialect = database
    env = {**os.environ, "CRM_DATABASE_URL": url, "CRM_SECRET_KEY": "jobs-test", "CRM_RUN_SCHEDULER": "0"}
    if dialect == "postgresql":
        schema = _db.session.execute(text("SELECT current_schema()")).scalar_one()
        env["PGOPTIONS"] = f"-csearch_path={schema}"
    _db.session.commit()
    return env


def flask_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", *args]
