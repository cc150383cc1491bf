"""The load generator, run as its own process: reads a plan as JSON on stdin, prints results as JSON.

Each of N threads signs in once (session cookie for pages, bearer token for the API) and the
threads share each endpoint's fixed number of requests, so every endpoint is measured under the
same concurrency. The requests go in rounds (run_rounds): each round gives every endpoint its share.
"""
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client:
    def __init__(self, port: int, token: str):
        self.port, self.token, self.cookie, self.location = port, token, "", ""
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body=None, api: bool = False, form: bool = False,
                headers: dict | None = None):
        headers = dict(headers or {})
        if api:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body) if form else json.dumps(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
        return self._send(method, urllib.parse.quote(path, safe="/?=&%"), data, headers, api=api)

    def upload(self, path: str, fields: dict, file_field: str, filename: str, content: bytes):
        """A multipart form post of a file, with the CSRF token of the form page at `path`."""
        fields = {**fields, "csrf_token": self.csrf(self.request("GET", path)[1])}
        boundary = "bench-" + str(time.time_ns())
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
                     f'filename="{urllib.parse.quote(filename)}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self._send("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def _send(self, method: str, path: str, data, headers: dict, api: bool = False):
        # A connection per request: with keep-alive, gunicorn's gthread worker that accepted a client
        # keeps it, and one of the two workers ended up serving all 8 clients.
        headers = {**headers, "Connection": "close"}
        if self.cookie and not api:
            headers["Cookie"] = self.cookie
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        finally:
            self.conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            if value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        self.location = response.headers.get("Location", "")
        return response.status, payload

    @staticmethod
    def csrf(page: bytes) -> str:
        match = CSRF.search(page.decode())
        return match.group(1) if match else ""

    def sign_in(self, username: str, password: str) -> None:
        _status, page = self.request("GET", "/login")
        form = {"username": username, "password": password, "csrf_token": self.csrf(page)}
        status, _body = self.request("POST", "/login", form, form=True)
        if status not in (302, 303):
            raise SystemExit(f"sign-in failed with {status}")


def warm_up(clients, spec) -> None:
    """One unmeasured request per client and GET endpoint: each worker's first request of a page loads its
    templates and caches, which is start-up cost, not the latency an officer sees during the day."""
    if spec["method"] != "GET":
        return
    threads = [threading.Thread(target=client.request, args=("GET", spec["paths"][-1 - n % len(spec["paths"])]),
                                kwargs={"api": spec["api"], "headers": spec.get("headers")})
               for n, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@dataclass
class Tally:
    """One endpoint's measurements, gathered over the rounds."""

    latencies: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    statuses: dict = field(default_factory=dict)
    wall: float = 0.0


def run_slice(clients, spec, numbers: range, tally: Tally) -> None:
    """Fire requests `numbers` of spec (path and body chosen by number) split over the clients; a request is an
    error unless 2xx/3xx."""
    paths = spec["paths"]
    counter = iter(numbers)
    lock = threading.Lock()

    def worker(client):
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            path = paths[n % len(paths)]
            body = spec["bodies"][n % len(spec["bodies"])] if spec.get("bodies") else None
            started = time.perf_counter()
            try:
                status, _payload = client.request(spec["method"], path, body, api=spec["api"],
                                                  headers=spec.get("headers"))
            except Exception:  # any failure of a request is an error of the run, never a lost thread
                status = 599
            elapsed = time.perf_counter() - started
            with lock:
                tally.latencies.append(elapsed)
                tally.statuses[status] = tally.statuses.get(status, 0) + 1
                if status >= 400:
                    tally.errors.append(f"{status} {path}")

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.wall += time.perf_counter() - started


def run_rounds(clients, specs, rounds: int) -> list[dict]:
    """Each endpoint's requests in `rounds` slices, the endpoints taking turns within each round: a machine
    that slows down or speeds up during the run (a shared host does) then weighs on every endpoint alike,
    instead of on whichever ran at the time, and the ratios to the floor stay comparable."""
    tallies = {spec["name"]: Tally() for spec in specs}
    for spec in specs:
        warm_up(clients, spec)
    for round_no in range(rounds):
        for spec in specs:
            share = -(-spec["requests"] // rounds)
            numbers = range(round_no * share, min(spec["requests"], (round_no + 1) * share))
            run_slice(clients, spec, numbers, tallies[spec["name"]])
        print(f"  round {round_no + 1} of {rounds} done", file=sys.stderr, flush=True)
    return [summarise(spec, tallies[spec["name"]]) for spec in specs]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def summarise(spec, tally: Tally) -> dict:
    latencies = tally.latencies
    return {"name": spec["name"], "method": spec["method"], "path": spec["paths"][0], "requests": len(latencies),
            "errors": len(tally.errors), "error_samples": tally.errors[:5],
            "statuses": {str(k): v for k, v in tally.statuses.items()},
            "p50_ms": round(percentile(latencies, 50) * 1000, 1), "p95_ms": round(percentile(latencies, 95) * 1000, 1),
            "p99_ms": round(percentile(latencies, 99) * 1000, 1),
            "throughput_rps": round(len(latencies) / tally.wall, 1) if tally.wall else 0.0}


def main() -> None:
    plan = json.load(sys.stdin)
    clients = [Client(plan["port"], plan["token"]) for _ in range(plan["clients"])]
    for client in clients:
        client.sign_in(plan["username"], plan["password"])
    results = run_rounds(clients, plan["endpoints"], plan.get("rounds", 1))
    for row in results:
        print(f"  {row['name']}: p95 {row['p95_ms']} ms, {row['errors']} errors", file=sys.stderr, flush=True)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
