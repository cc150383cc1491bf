"""A newcomer's first hour: the sign-in they are told, a password reset, the database URL as the README writes it,
the Makefile's split of runtime and test tools, and a test run that leaves the tree as it was."""
import re
from pathlib import Path

from sqlalchemy import select

from crm.auth.models import User
from crm.config import with_driver
from tests.conftest import make_user

ROOT = Path(__file__).resolve().parents[2]


def test_ensure_admin_says_the_user_name_the_sign_in_address_and_how_to_load_demo_data(runner, seeded):
    first = runner.invoke(args=["crm", "ensure-admin", "--url", "http://127.0.0.1:5000"])
    assert first.exit_code == 0, first.output
    assert "username: admin" in first.output and "password: " in first.output
    assert "http://127.0.0.1:5000/login" in first.output and "crm demo" in first.output
    again = runner.invoke(args=["crm", "ensure-admin"])
    assert "username: admin" in again.output and "/login" in again.output and "password: " not in again.output


def test_the_sign_in_page_of_an_empty_system_says_the_same(client, seeded):
    page = client.get("/login").get_data(as_text=True)
    assert "data-first-use" in page and "admin" in page and "crm demo" in page and "reset-password" in page


def test_reset_password_from_standard_input_or_generated_and_printed_once(runner, seeded, app):
    make_user("wang", "officer")
    typed = runner.invoke(args=["crm", "reset-password", "wang"], input="Lake-Blue-Pass-2026!\n")
    assert typed.exit_code == 0, typed.output
    assert "Lake-Blue-Pass-2026!" not in typed.output
    client = app.test_client()
    assert client.post("/login", data={"username": "wang", "password": "Lake-Blue-Pass-2026!"}).status_code == 302
    made = runner.invoke(args=["crm", "reset-password", "wang"], input="")
    assert made.exit_code == 0, made.output
    password = made.output.strip().rsplit(" ", 1)[-1]
    assert len(password) >= 12
    assert app.test_client().post("/login", data={"username": "wang", "password": password}).status_code == 302
    user = seeded.session.scalar(select(User).where(User.username == "wang"))
    seeded.session.refresh(user)
    assert user.must_change_password
    missing = runner.invoke(args=["crm", "reset-password", "nobody"], input="")
    assert missing.exit_code != 0 and "nobody" in missing.output


def test_the_postgresql_url_works_as_the_readme_writes_it():
    assert with_driver("postgresql://postgres@127.0.0.1:5432/test") == "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert with_driver("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert with_driver("sqlite:///x.db") == "sqlite:///x.db"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "postgresql://postgres@127.0.0.1:5432/test" in readme


def test_make_run_installs_the_runtime_only_and_make_test_adds_the_test_tools():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = re.search(r"^run: (.+)$", makefile, re.M).group(1)
    assert "setup" not in run.split() and "runtime" in run.split()
    assert re.search(r'^\t\$\(BIN\)/pip install -q -e \.$', makefile, re.M)  # the runtime: no extras
    assert '-e ".[dev]"' in makefile
    for target in ("test-sqlite", "test-postgres", "lint"):
        assert re.search(rf"^{target}: setup$", makefile, re.M), target


def test_the_readme_says_what_the_tests_install_and_that_it_takes_root():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for package in ("chromium", "fonts-noto-cjk", "libreoffice"):
        assert package in readme, package
    assert "root" in readme and "make screenshots" in readme


def test_screenshots_of_a_test_run_go_to_an_ignored_folder():
    from tests.e2e import test_screenshots

    out = test_screenshots.OUT.relative_to(ROOT).as_posix()
    if not out.startswith("docs/"):  # `make screenshots` writes the README's own
        assert out.startswith("tests/e2e/output/")
        assert "tests/e2e/output/" in (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert test_screenshots.DEMO_TODAY == "2026-11-30"


def test_a_test_run_removes_its_sqlite_database(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "CRM_TEST_DATABASE_URL"} | {"TMPDIR": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/newcomer/test_first_hour.py::test_the_sign_in_page_of_an_empty_system_says_the_same"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]
    assert not list(tmp_path.glob("crm-test-*")), "the SQLite test database was left behind"
