"""Accounts from the command line, and personal access tokens for the API."""
from crm.auth.models import ApiToken, User


def test_create_user_reads_password_from_stdin_and_binds_parks(runner, seeded):
    result = runner.invoke(args=["crm", "create-user", "ma", "--role", "park_staff", "--park", "NANCHUAN"],
                           input="Strong-Pass-2026!\nStrong-Pass-2026!\n")
    assert result.exit_code == 0, result.output
    user = seeded.session.query(User).filter_by(username="ma").one()
    assert [p.code for p in user.parks] == ["NANCHUAN"]


def test_create_user_refuses_unknown_park_and_weak_password(runner, seeded):
    result = runner.invoke(args=["crm", "create-user", "x", "--role", "park_staff", "--park", "NOPE"],
                           input="Strong-Pass-2026!\n")
    assert result.exit_code != 0 and "NOPE" in result.output
    result = runner.invoke(args=["crm", "create-user", "y", "--role", "officer"], input="password\n")
    assert result.exit_code != 0 and "密码" in result.output


def test_token_from_cli_authenticates_api(runner, app, seeded):
    runner.invoke(args=["crm", "create-user", "hu", "--role", "officer"], input="Strong-Pass-2026!\n")
    token = runner.invoke(args=["crm", "create-token", "hu", "--name", "script"]).output.strip().split()[-1]
    stored = seeded.session.query(ApiToken).one()
    assert token not in (stored.token_hash, stored.prefix)  # only a hash is kept
    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["username"] == "hu"
    seeded.session.expire_all()
    first_use = stored.last_used_at
    assert first_use is not None  # shown on the profile's token list
    app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    seeded.session.expire_all()
    assert stored.last_used_at == first_use  # a read within minutes writes nothing


def test_api_without_or_with_bad_token_answers_401_in_error_shape(client):
    for headers in ({}, {"Authorization": "Bearer nonsense"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        error = response.get_json()["error"]
        assert set(error) == {"code", "message", "fields"}


def test_revoked_token_stops_working(login_as, app, db):
    client = login_as("officer")
    client.post("/profile/tokens", data={"name": "laptop"})
    raw = client.get("/profile").get_data(as_text=True).split('user-select-all">')[1].split("<")[0]
    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    token = db.session.query(ApiToken).one()
    client.post(f"/profile/tokens/{token.id}/revoke")
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_cookie_session_does_not_open_the_api(login_as):
    assert login_as("admin").get("/api/v1/me").status_code == 401
