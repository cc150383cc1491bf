"""A database holding data at any earlier revision upgrades to head: its rows are kept, its schema matches
the models (as `flask db check`), and its search index equals what a head database builds for the same
companies."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

VERSIONS = Path(__file__).resolve().parents[2] / "crm" / "migrations" / "versions"


def _history() -> list[str]:
    """Every revision, oldest first, read from the migration files themselves."""
    down = {}
    for path in VERSIONS.glob("*.py"):
        text = path.read_text()
        revision = re.search(r"^revision = ['\"](\w+)['\"]", text, re.M).group(1)
        parent = re.search(r"^down_revision = (?:['\"](\w+)['\"]|None)", text, re.M).group(1)
        down[revision] = parent
    order, current = [], None
    children = {parent: child for child, parent in down.items()}
    while current in children:
        current = children[current]
        order.append(current)
    return order


OLD_REVISIONS = _history()[:-1]


def test_the_history_is_one_line_through_every_migration():
    assert len(_history()) == len(list(VERSIONS.glob("*.py"))) >= 5


@pytest.mark.parametrize("revision", OLD_REVISIONS)
def test_a_database_with_rows_at_an_old_revision_upgrades_to_head(revision, empty_database, project_root):
    url, schema = empty_database
    env = {**os.environ, "CRM_DATABASE_URL": url, "CRM_SECRET_KEY": "upgrade-test"}
    if schema:
        env["PGOPTIONS"] = f"-csearch_path={schema}"
    run = subprocess.run([sys.executable, "-m", "tests.hardening.upgrade_run", revision], cwd=project_root,
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["counts"] == result["stored"]
    assert result["grams"] == result["fresh_grams"]
    assert ["yh", 1] in result["grams"] and ["qin", 2] in result["grams"]  # the live companies are searchable
    assert not any(company_id == 3 for _gram, company_id in result["grams"])  # the merged one is not
