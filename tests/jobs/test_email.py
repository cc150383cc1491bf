"""E-mail delivery through a real SMTP server process (aiosmtpd writing into a Maildir)."""
import email.header
import mailbox
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from crm.jobs import notify
from crm.jobs.kinds import FOLLOW_UP
from crm.jobs.runner import run_job
from tests.conftest import make_user
from tests.jobs.conftest import DAY, company_with_follow_up, notifications


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app, tmp_path):
    port, maildir = _free_port(), tmp_path / "maildir"
    process = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                                "-c", "aiosmtpd.handlers.Mailbox", str(maildir)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    saved = {k: app.config[k] for k in ("SMTP_HOST", "SMTP_PORT", "SMTP_SENDER")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SENDER="crm@example.com")
    yield maildir
    app.config.update(saved)
    process.terminate()
    process.wait(timeout=10)


def _received(maildir) -> list:
    return list(mailbox.Maildir(str(maildir), create=False)) if maildir.exists() else []


def _subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def test_chosen_kinds_are_emailed_once_through_a_real_smtp_server(db, officer, smtp_server):
    notify.save_preferences(officer, {FOLLOW_UP: (True, True)})
    in_app_only = make_user("officer_nomail", "officer")
    in_app_only.email = "nomail@example.com"
    company_with_follow_up(officer, "邮件提醒测试有限公司")
    company_with_follow_up(in_app_only, "站内提醒公司")
    db.session.commit()
    run_job("follow_up_reminders", today=DAY, now=datetime(2026, 5, 4, tzinfo=UTC))
    sent = run_job("dispatch", today=DAY)
    assert sent is not None and (sent.outcome, sent.items) == ("ok", 1), sent and sent.error
    assert run_job("dispatch", today=DAY) is None  # nothing left: no second message, no history row
    messages = _received(smtp_server)
    assert len(messages) == 1
    assert messages[0]["To"] == "zhang@example.com" and messages[0]["From"] == "crm@example.com"
    assert _subject(messages[0]) == "今日跟进：邮件提醒测试有限公司"
    assert "寄送园区资料" in messages[0].get_payload(decode=True).decode()
    assert notifications(officer)[0].emailed_at is not None


def test_unreachable_smtp_server_is_a_visible_failure_and_retried(app, db, officer):
    notify.save_preferences(officer, {FOLLOW_UP: (True, True)})
    company_with_follow_up(officer, "重试测试公司")
    db.session.commit()
    run_job("follow_up_reminders", today=DAY, now=datetime(2026, 5, 4, tzinfo=UTC))
    saved = app.config["SMTP_HOST"], app.config["SMTP_PORT"]
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=_free_port())  # nobody listens there
    try:
        failed = run_job("dispatch", today=DAY)
    finally:
        app.config["SMTP_HOST"], app.config["SMTP_PORT"] = saved
    assert failed.outcome == "failed" and "Connection refused" in failed.error
    assert notifications(officer)[0].emailed_at is None  # still pending for the next minute
