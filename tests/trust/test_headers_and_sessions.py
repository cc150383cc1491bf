"""Headers every answer carries, cookie flags, server-side session end, shared sign-in failure counts."""
from crm import create_app
from crm.auth.models import LoginFailure, User
from crm.auth.services import IP_MAX_FAILURES
from crm.extensions import db as _db
from tests.conftest import PASSWORD, make_user


def _csp(response) -> dict[str, str]:
    parts = [p.strip() for p in response.headers["Content-Security-Policy"].split(";")]
    return {p.split(" ", 1)[0]: p.partition(" ")[2] for p in parts if p}


def test_every_answer_carries_the_security_headers(client, db):
    for path in ("/login", "/home", "/api/v1/me", "/no-such-page"):
        response = client.get(path)
        csp = _csp(response)
        assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"], path
        assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")
        assert "Strict-Transport-Security" not in response.headers, "HSTS over plain HTTP"


def test_hsts_only_over_https(client, db):
    response = client.get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_is_httponly_and_lax(client, db):
    make_user("cookie", "officer")
    response = client.post("/login", data={"username": "cookie", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookie_behind_https(monkeypatch, database, tmp_path):
    monkeypatch.setenv("CRM_SECURE_COOKIES", "1")
    secure = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": database[0],
                         "SQLALCHEMY_ENGINE_OPTIONS": database[1], "WTF_CSRF_ENABLED": False})
    assert secure.config["SESSION_COOKIE_SECURE"] and secure.config["SESSION_COOKIE_HTTPONLY"]
    assert secure.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def _copied_cookie_client(app, client):
    copied = app.test_client()
    copied.set_cookie("session", client.get_cookie("session").value)
    return copied


def test_password_change_ends_other_sessions(app, client, db):
    make_user("chg", "officer")
    client.post("/login", data={"username": "chg", "password": PASSWORD})
    copied = _copied_cookie_client(app, client)
    assert copied.get("/home").status_code == 200
    new = "Another-Pass-2026!"
    response = client.post("/profile/password", data={"current": PASSWORD, "new": new, "confirm": new})
    assert response.status_code == 302
    assert copied.get("/home").status_code == 302  # the copy taken before the change is dead
    assert client.get("/home").status_code == 200  # the session that changed it continues


def test_admin_disabling_a_user_ends_the_copied_session(app, client, login_as, db):
    make_user("gone", "officer")
    client.post("/login", data={"username": "gone", "password": PASSWORD})
    copied = _copied_cookie_client(app, client)
    user = db.session.query(User).filter_by(username="gone").one()
    admin = login_as("admin")
    response = admin.post(f"/admin/users/{user.id}", data={"username": "gone", "role": "officer",
                                                           "display_name": "gone"})  # "active" unticked
    assert response.status_code == 302
    assert copied.get("/home").status_code == 302
    assert client.get("/home").status_code == 302


def test_sign_in_failures_are_shared_by_every_app_instance(app, database, db):
    """Two processes (two app instances on one database) see one count, per account and per IP."""
    make_user("shared", "officer")
    url, options, _dialect = database
    other = create_app({"TESTING": True, "SECRET_KEY": "y" * 32, "SQLALCHEMY_DATABASE_URI": url,
                        "SQLALCHEMY_ENGINE_OPTIONS": options, "WTF_CSRF_ENABLED": False})
    first, second = app.test_client(), other.test_client()
    for client in (first, second, first, second):
        client.post("/login", data={"username": "shared", "password": "wrong"})
    body = second.post("/login", data={"username": "shared", "password": "wrong"}).get_data(as_text=True)
    assert "已锁定" in body  # 5 failures across the two instances lock the account
    assert first.post("/login", data={"username": "shared", "password": PASSWORD}).status_code == 401
    with other.app_context():
        _db.session.remove()
    db.session.expire_all()
    assert db.session.query(LoginFailure).filter_by(ip="127.0.0.1").count() == 5


def test_too_many_failures_from_one_ip_block_every_account(client, db):
    make_user("victim", "officer")
    for n in range(IP_MAX_FAILURES):
        client.post("/login", data={"username": f"guess{n}", "password": "wrong"})
    response = client.post("/login", data={"username": "victim", "password": PASSWORD})
    assert response.status_code == 401 and "该地址" in response.get_data(as_text=True)
