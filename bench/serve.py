"""What the benchmark's gunicorn serves: the product app plus the floor endpoint of issue 9.

The floor is bench-only, so the product carries no benchmark route: it reads the 50 companies of the
company list's first page with one indexed query (the covering index behind that list) and returns
them as JSON. No sign-in, no template: the cost of Flask, SQLAlchemy and gunicorn alone, against which
every page is reported as a ratio.
"""
from flask import jsonify
from sqlalchemy import select

from crm import create_app
from crm.companies.models import Company
from crm.extensions import db

FLOOR_PATH = "/_bench/floor"

app = create_app()


def floor():
    rows = db.session.execute(select(Company.id, Company.name, Company.updated_at)
                              .where(Company.merged_into_id.is_(None))
                              .order_by(Company.updated_at.desc(), Company.id.desc()).limit(50)).all()
    return jsonify([{"id": r.id, "name": r.name, "updated_at": r.updated_at.isoformat()} for r in rows])


app.add_url_rule(FLOOR_PATH, "bench_floor", floor)
