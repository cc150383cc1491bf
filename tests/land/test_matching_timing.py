"""Carrier matching at the benchmark's carrier count (20 a park, as the large demo has) answers one project
within 50 ms: the median and the 90th percentile of 40 projects (each its best of three tries), through the
API as a client calls it."""
import random
import statistics
import time
from datetime import date

import pytest
from sqlalchemy import delete, select

from crm.demo.bulk import insert_rows, next_id
from crm.extensions import db
from crm.land import demo as land_demo
from crm.land.models import Carrier, CarrierChange, CarrierSupply
from crm.projects.models import Project

TODAY = date(2026, 11, 22)
BUDGET_MS = 50


@pytest.mark.slow
def test_carrier_matches_answer_within_50_ms_with_20_carriers_a_park(seeded, runner, api_as):
    result = runner.invoke(args=["crm", "demo", "--companies", "2000", "--seed", "5", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    for model in (CarrierSupply, CarrierChange, Carrier):  # the demo's 8 a park at this size: 20 instead
        db.session.execute(delete(model))
    rows = land_demo.carrier_rows(random.Random(3), TODAY, 20, {"carriers": next_id(Carrier),
                                                                "changes": next_id(CarrierChange),
                                                                "supplies": next_id(CarrierSupply)})
    for model, found in ((Carrier, rows.carriers), (CarrierChange, rows.changes), (CarrierSupply, rows.supplies)):
        insert_rows(model, found)
    projects = db.session.scalars(select(Project.id).where(Project.land_mu.is_not(None)).order_by(Project.id)
                                  .limit(40)).all()
    api = api_as("manager")
    matched = 0
    for project_id in projects[:3]:  # a worker's first request builds the matching index
        assert api.get(f"/api/v1/projects/{project_id}/carrier-matches").status_code == 200
    timings = []
    for project_id in projects:
        # each project's best of three: the host is shared (two cores, other test runs), and a request that
        # waited for the CPU says nothing of the code
        tries = []
        for _ in range(3):
            started = time.perf_counter()
            answer = api.get(f"/api/v1/projects/{project_id}/carrier-matches")
            tries.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200
        timings.append(min(tries))
        matched += bool(answer.json["items"])
    timings.sort()
    print(f"carrier matches: median {statistics.median(timings):.1f} ms, p90 {timings[int(len(timings) * 0.9)]:.1f} ms")
    assert matched >= len(projects) // 4  # most projects find some land: the timing is of real answers
    assert statistics.median(timings) <= BUDGET_MS and timings[int(len(timings) * 0.9)] <= BUDGET_MS, timings
