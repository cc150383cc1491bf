"""Tokens with access (read / read-write), resources, expiry and revocation; shown once; their last use on
the admin page; a rate per token and minute answered with 429 and Retry-After."""
from datetime import timedelta

from crm.auth import services
from crm.auth.models import ApiToken
from crm.core.db import utcnow
from crm.core.formatting import LOCAL_ZONE
from crm.extensions import db
from tests.conftest import ApiClient, make_user


def _client(app, user, **options) -> ApiClient:
    _token, raw = services.create_token(user, "scoped", **options)
    db.session.commit()
    return ApiClient(app.test_client(), raw, user)


def test_a_read_only_token_reads_and_never_writes(app, seeded):
    user = make_user("ro_officer", "officer")
    reader = _client(app, user, access="read")
    assert reader.get("/api/v1/projects").status_code == 200
    refused = reader.post("/api/v1/companies", json={"name": "只读令牌不能建的企业有限公司"})
    assert refused.status_code == 403 and refused.json["code"] == "insufficient_scope"
    assert refused.headers["Content-Type"].startswith("application/problem+json")


def test_a_token_limited_to_resources_reaches_those_alone(app, seeded):
    user = make_user("res_manager", "manager")
    limited = _client(app, user, resources=["projects", "metrics"])
    assert limited.get("/api/v1/projects").status_code == 200
    assert limited.get("/api/v1/metrics").status_code == 200
    assert limited.get("/api/v1/me").status_code == 200  # who am I: every token may ask
    assert limited.get("/api/v1/companies").status_code == 403


def test_tokens_expire_after_180_days_by_default_and_revoked_ones_stop_at_once(app, seeded, api_as):
    api = api_as("officer")
    created = api.post("/api/v1/tokens", json={"name": "省平台对接", "access": "read", "resources": ["projects"]})
    assert created.status_code == 201 and created.json["token"].startswith("crm_")
    token = db.session.get(ApiToken, created.json["id"])
    assert abs(token.expires_at - token.created_at - timedelta(days=180)) < timedelta(seconds=1)
    listed = api.get("/api/v1/tokens").json["items"]
    assert {t["id"] for t in listed} >= {created.json["id"]} and all("token" not in t for t in listed)  # once
    fresh = ApiClient(app.test_client(), created.json["token"], api.user)
    assert fresh.get("/api/v1/projects").status_code == 200
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert fresh.get("/api/v1/projects").status_code == 401
    second = api.post("/api/v1/tokens", json={"name": "第二个", "days": 30}).json
    assert api.delete(f"/api/v1/tokens/{second['id']}").status_code == 204
    assert ApiClient(app.test_client(), second["token"], api.user).get("/api/v1/me").status_code == 401
    bad = api.post("/api/v1/tokens", json={"name": "x", "access": "admin", "resources": ["nothing"]})
    assert bad.status_code == 422 and "resources" in bad.json["errors"]


def test_the_admin_page_lists_every_token_with_its_last_use(app, seeded, api_as, login_as):
    api = api_as("park_staff", parks=["GANHE"], username="zhang_staff")
    api.get("/api/v1/me")
    token = db.session.query(ApiToken).filter_by(user_id=api.user.id).one()
    assert token.last_used_at is not None
    page = login_as("admin").get("/admin/tokens")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "zhang_staff" in html and token.prefix in html
    assert token.last_used_at.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d") in html
    assert login_as("manager").get("/admin/tokens").status_code == 403


def test_over_the_rate_a_token_gets_429_with_retry_after(app, seeded, api_as):
    api, other = api_as("manager"), api_as("manager")
    app.config["API_RATE_LIMIT"] = 3
    try:
        answers = [api.get("/api/v1/me") for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
        assert answers[-1].headers["Content-Type"].startswith("application/problem+json")
        assert other.get("/api/v1/me").status_code == 200  # counted per token
    finally:
        app.config["API_RATE_LIMIT"] = 600
