"""Test data made through the public API (/api/v1) with a personal access token, as another system would."""
import json
import urllib.error
import urllib.request
from datetime import date


class ApiError(AssertionError):
    pass


class Api:
    def __init__(self, base_url: str, token: str):
        self.base_url, self.token = base_url, token

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(  # noqa: S310 - the local test server
            f"{self.base_url}/api/v1{path}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                     "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                return json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise ApiError(f"{method} {path} answered {error.code}: {error.read().decode(errors='replace')[:800]}"
                           ) from error

    def get(self, path: str) -> dict:
        return self.call("GET", path)

    def post(self, path: str, body: dict) -> dict:
        return self.call("POST", path, body)

    # -- the verbs journeys need --------------------------------------------------------------
    def company(self, name: str, **fields) -> dict:
        return self.post("/companies", {"name": name, **fields})

    def project(self, company_id: int, park: str, name: str, **fields) -> dict:
        return self.post("/projects", {"company_id": company_id, "park": park, "name": name, **fields})

    def move(self, project_id: int, to: str, on: date, **facts) -> dict:
        body = {"to": to, "date": on.isoformat(), **{k: _plain(v) for k, v in facts.items()}}
        return self.post(f"/projects/{project_id}/transitions", body)

    def walk(self, project_id: int, stages: list[str], on: date, **facts) -> None:
        """Move a project forward through `stages` on one date (signing needs agreed_investment in facts)."""
        for stage in stages:
            self.move(project_id, stage, on, **facts)

    def funds(self, project_id: int, period: date, amount: str, **fields) -> dict:
        return self.post(f"/projects/{project_id}/funds",
                         {"period": period.strftime("%Y-%m"), "amount": amount, **fields})

    def problem(self, project_id: int, description: str, **fields) -> dict:
        return self.post(f"/projects/{project_id}/problems", {"description": description, **fields})


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value
