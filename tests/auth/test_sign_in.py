"""Sign-in rules: lockout, CSRF, server-side session end, last sign-in shown, password rules."""
import re
from datetime import timedelta

from crm.auth.models import User
from crm.core.db import utcnow
from tests.conftest import PASSWORD, make_user


def _login(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


def test_sign_in_then_home_shows_last_sign_in(client, db):
    make_user("li", "officer")
    response = _login(client, "li", PASSWORD)
    assert response.status_code == 302
    page = client.get("/profile").get_data(as_text=True)
    assert "127.0.0.1" in page


def test_five_failures_lock_the_account_for_fifteen_minutes(client, db):
    make_user("wang", "officer")
    for attempt in range(4):
        body = _login(client, "wang", "wrong").get_data(as_text=True)
        assert "还可尝试" in body, attempt
    body = _login(client, "wang", "wrong").get_data(as_text=True)
    assert "已锁定" in body
    locked = _login(client, "wang", PASSWORD)
    assert locked.status_code == 401 and "已锁定" in locked.get_data(as_text=True)
    user = db.session.query(User).filter_by(username="wang").one()
    assert user.locked_until - utcnow() > timedelta(minutes=14)
    user.locked_until = utcnow() - timedelta(seconds=1)  # fifteen minutes later
    db.session.commit()
    assert _login(client, "wang", PASSWORD).status_code == 302


def test_form_posted_without_csrf_token_is_refused(app, client, db):
    make_user("zhao", "officer")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = _login(client, "zhao", PASSWORD)
        assert response.status_code == 400
        assert "安全令牌" in response.get_data(as_text=True)
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        ok = client.post("/login", data={"username": "zhao", "password": PASSWORD, "csrf_token": token})
        assert ok.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_sign_out_ends_the_session_on_the_server(app, client, db):
    make_user("sun", "officer")
    _login(client, "sun", PASSWORD)
    copied = app.test_client()
    cookie = client.get_cookie("session")
    copied.set_cookie("session", cookie.value)
    assert copied.get("/home").status_code == 200
    client.post("/logout")
    assert copied.get("/home").status_code == 302  # the copied cookie no longer signs anyone in


def test_disabled_user_is_signed_out_everywhere(login_as, db):
    client = login_as("officer")
    assert client.get("/home").status_code == 200
    client.user.active = False
    db.session.commit()
    assert client.get("/home").status_code == 302


def test_pages_require_sign_in(client, db):
    response = client.get("/home")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_pages_refuse_other_roles(login_as):
    assert login_as("manager").get("/admin/users").status_code == 403
    assert login_as("admin").get("/admin/users").status_code == 200


def test_weak_password_refused_when_admin_creates_user(login_as, seeded):
    admin = login_as("admin")
    response = admin.post("/admin/users", data={"username": "newbie", "role": "officer", "password": "12345678"})
    assert response.status_code == 422
    assert "密码" in response.get_data(as_text=True)
    assert seeded.session.query(User).filter_by(username="newbie").count() == 0


def test_session_lifetime_is_thirty_minutes(app):
    assert app.permanent_session_lifetime == timedelta(minutes=30)
