"""The app running for real on a free local port, with its own SQLite database, for browser tests."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]
PASSWORD = "E2e-Pass-2026!x"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """One app process on one database; users are made with the real CLI, as an operator would."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "CRM_DATABASE_URL": f"sqlite:///{folder / 'e2e.db'}",
            "CRM_SECRET_KEY": "e2e-" + folder.name,
            "CRM_UPLOAD_FOLDER": str(folder / "uploads"),
            "CRM_RUN_SCHEDULER": "0",
            "FLASK_DEBUG": "0",
        }
        self.env.pop("CRM_TEST_DATABASE_URL", None)
        self.process: subprocess.Popen | None = None
        self.tokens: dict[str, str] = {}
        self.log_path = folder / "server.log"

    # -- preparing the database -------------------------------------------------------------
    def cli(self, *args: str, stdin: str = "") -> str:
        result = subprocess.run([*FLASK, *args], cwd=ROOT, env=self.env, input=stdin, capture_output=True,
                                text=True, timeout=180)
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr[-3000:]}")
        return result.stdout

    def prepare(self, users: list[dict], demo_companies: int = 0, demo_today: str = "") -> None:
        """Schema, seeds, demo data if asked (for the day demo_today, if given), and the users with a token each,
        in one process (bootstrap.py)."""
        spec = json.dumps({"password": PASSWORD, "users": users, "demo_companies": demo_companies,
                           "demo_today": demo_today}, ensure_ascii=False)
        result = subprocess.run([sys.executable, str(HERE / "bootstrap.py"), spec], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise RuntimeError(f"preparing the database failed:\n{result.stdout}\n{result.stderr[-3000:]}")
        self.tokens = json.loads(result.stdout.strip().splitlines()[-1])

    def create_user(self, username: str, role: str, parks=(), name: str = "") -> str:
        """A further user once the server runs (slower: one process per command)."""
        args = ["crm", "create-user", username, "--role", role, "--name", name or username]
        for code in parks:
            args += ["--park", code]
        self.cli(*args, stdin=f"{PASSWORD}\n{PASSWORD}\n")
        return username

    def token(self, username: str) -> str:
        if username not in self.tokens:
            self.tokens[username] = self.cli("crm", "create-token", username).strip().splitlines()[-1]
        return self.tokens[username]

    # -- running ------------------------------------------------------------------------------
    def start(self, gunicorn: bool = False) -> None:
        """Flask's server, or gunicorn as production runs it (gunicorn.conf.py), where some faults only show."""
        log = self.log_path.open("w")
        command = [*FLASK, "run", "--host", "127.0.0.1", "--port", str(self.port), "--no-reload", "--no-debugger"]
        if gunicorn:
            command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
                       "wsgi:app"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/login", timeout=2) as answer:  # noqa: S310 - local URL
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the app did not answer /login within 60 s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def tracebacks(self) -> str:
        """Server-side exceptions logged while the tests ran (a 500 the browser may not show)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        if "Traceback" not in text:
            return ""
        first = text[text.find("Traceback"):]
        return first if len(first) < 6000 else first[:1000] + "\n[…]\n" + first[-5000:]

