"""An import run whose process dies is seen as stopped within a few seconds, from its heartbeat; a live run
stays "running" however long a batch takes."""
import os
import signal
import subprocess
import sys
import time

from crm.companies import import_jobs

CHILD = """
import sys, time
from crm import create_app
from crm.companies import import_jobs
app = create_app()
with app.app_context(), import_jobs.heartbeat(sys.argv[1]):
    print("beating", flush=True)
    time.sleep(600)  # a batch that takes long: only the beat says the run lives
"""


def _running_meta(token: str) -> dict:
    meta = {"kind": "companies", "user_id": 1, "filename": "名录.csv"}
    meta.update(state=import_jobs.RUNNING, done=0, total=100, heartbeat="2026-01-01T00:00:00+00:00", token=token)
    import_jobs.save_meta(token, meta)
    return meta


def test_a_killed_run_reads_as_failed_within_seconds_and_a_live_one_never(app, project_root):
    token = "beat" + os.urandom(6).hex()
    with app.app_context():
        meta = _running_meta(token)
        env = {**os.environ, "CRM_UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "CRM_SECRET_KEY": "beat-test"}
        child = subprocess.Popen([sys.executable, "-c", CHILD, token], cwd=project_root, env=env,
                                 stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout.readline().strip() == "beating"
            live_until = time.monotonic() + import_jobs.STALE.total_seconds() + 2
            while time.monotonic() < live_until:  # longer than STALE: the beat keeps it running
                assert import_jobs.state(import_jobs.read_meta(token)) == import_jobs.RUNNING
                time.sleep(0.5)
        finally:
            os.kill(child.pid, signal.SIGKILL)  # as a worker killed mid-batch: nothing is cleaned up
            child.wait()
        killed = time.monotonic()
        while import_jobs.state(import_jobs.read_meta(token)) == import_jobs.RUNNING:
            assert time.monotonic() - killed < import_jobs.STALE.total_seconds() + 2, "the dead run still runs"
            time.sleep(0.2)
        assert import_jobs.state(meta) == import_jobs.FAILED
        assert import_jobs.beat_path(token).exists()  # the dead process could not remove its beat


def test_the_beat_ends_with_the_run(app):
    token = "done" + os.urandom(6).hex()
    with app.app_context():
        with import_jobs.heartbeat(token):
            assert import_jobs.beat_path(token).exists()
        assert not import_jobs.beat_path(token).exists()
