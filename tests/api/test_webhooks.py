"""Webhooks against a real HTTP receiver on this machine: each stage change once, signed with HMAC-SHA256; a
failing receiver retried with backoff, then marked failed in the delivery log; and the change feed."""
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crm.api.webhooks import deliver_due
from crm.core.db import utcnow
from tests import factories


class Receiver:
    """An HTTP server in a thread that answers `status` and keeps every request it got."""

    def __init__(self, status: int = 200):
        self.status, self.got = status, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # the name http.server calls
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.got.append((self.headers, body))  # case-insensitive, as HTTP names are
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    found = []

    def make(status=200):
        found.append(Receiver(status))
        return found[-1]

    yield make
    for r in found:
        r.close()


def test_each_stage_change_reaches_the_receiver_once_and_signed(seeded, api_as, receiver):
    admin, park = api_as("admin"), api_as("park_staff", parks=["NANCHUAN"])
    got = receiver()
    hook = admin.post("/api/v1/webhooks", json={"url": got.url, "kinds": ["project.stage_changed", "funds.entered"]})
    assert hook.status_code == 201 and hook.json["secret"].startswith("whsec_")
    assert "secret" not in admin.get(f"/api/v1/webhooks/{hook.json['id']}").json  # shown once
    project = factories.project("NANCHUAN", factories.Stage.signed, name="推送项目")
    seeded.session.commit()
    for to, day in (("preparing", "2025-07-01"), ("started", "2025-08-01")):
        assert park.post(f"/api/v1/projects/{project.id}/transitions", json={"to": to, "date": day}).status_code == 201
    assert park.post(f"/api/v1/projects/{project.id}/problems", json={"description": "不订阅的种类"}).status_code == 201
    assert deliver_due(now=utcnow()) == 2
    assert deliver_due(now=utcnow() + timedelta(hours=3)) == 0  # nothing is sent twice
    assert len(got.got) == 2
    bodies = []
    for headers, body in got.got:
        expected = hmac.new(hook.json["secret"].encode(), headers["X-CRM-Timestamp"].encode() + b"." + body,
                            hashlib.sha256).hexdigest()
        assert headers["X-CRM-Signature"] == f"sha256={expected}" and headers["X-CRM-Event"] == "project.stage_changed"
        bodies.append(json.loads(body))
    assert [b["changes"]["stage"] for b in bodies] == [["signed", "preparing"], ["preparing", "started"]]
    assert {b["project_id"] for b in bodies} == {project.id}
    log = admin.get(f"/api/v1/webhooks/{hook.json['id']}/deliveries").json["items"]
    assert [d["status"] for d in log] == ["delivered", "delivered"] and {d["last_status"] for d in log} == {200}


def test_a_failing_receiver_is_retried_with_backoff_then_marked_failed(seeded, api_as, receiver):
    admin = api_as("admin")
    down = receiver(status=500)
    hook = admin.post("/api/v1/webhooks", json={"url": down.url, "kinds": ["problem.opened"]}).json
    project = factories.project("NANCHUAN", factories.Stage.signed)
    seeded.session.commit()
    admin.post(f"/api/v1/projects/{project.id}/problems", json={"description": "用电接入慢"})
    start = utcnow()
    assert deliver_due(now=start) == 0 and len(down.got) == 1
    assert deliver_due(now=start + timedelta(seconds=30)) == 0 and len(down.got) == 1  # not due before a minute
    for minutes in (1, 6, 36, 156):  # 1, 5, 30 and 120 minutes after each failure
        deliver_due(now=start + timedelta(minutes=minutes, seconds=1))
    assert len(down.got) == 5
    log = admin.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json["items"]
    assert log[0]["status"] == "failed" and log[0]["attempts"] == 5 and log[0]["last_status"] == 500
    deliver_due(now=start + timedelta(days=1))
    assert len(down.got) == 5  # failed: never sent again


def test_webhooks_are_for_admins_and_check_their_input(seeded, api_as):
    assert api_as("manager").get("/api/v1/webhooks").status_code == 403
    bad = api_as("admin").post("/api/v1/webhooks", json={"url": "file:///etc/passwd", "kinds": ["nope"]})
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"url", "kinds"}


def test_the_change_feed_gives_changes_after_a_cursor_within_scope(seeded, api_as):
    manager, staff = api_as("manager"), api_as("park_staff", parks=["GANHE"])
    company = factories.company("变更流企业有限公司")
    seeded.session.commit()
    first = manager.get("/api/v1/changes?since=0").json
    for park in ("NANCHUAN", "GANHE"):
        manager.post("/api/v1/projects", json={"name": f"{park}变更项目", "company_id": company.id, "park": park})
    later = manager.get(f"/api/v1/changes?since={first['next']}").json
    assert [i["action"] for i in later["items"]] == ["project.create", "project.create"]
    assert later["next"] > first["next"] and later["has_more"] is False
    assert manager.get(f"/api/v1/changes?since={later['next']}").json["items"] == []
    seen = staff.get(f"/api/v1/changes?since={first['next']}").json["items"]
    assert [i["summary"] for i in seen] == ["GANHE变更项目"]
