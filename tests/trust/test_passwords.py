"""Password rules (等保 level 2 default), the admin-forced reset and optional expiry."""
from datetime import timedelta

import pytest

from crm.auth import passwords
from crm.auth.models import User
from crm.core import settings
from crm.core.db import utcnow
from crm.core.security import PASSWORD_MAX_AGE
from tests.conftest import PASSWORD, make_user


@pytest.mark.parametrize(("password", "why"), [
    ("Ab1!", "至少需要"), ("abcdefgh1", "至少 3 类"), ("Zhangsan-2026", "用户名"), ("P@ssw0rd", "常见"),
])
def test_weak_passwords_are_refused_with_the_reason(db, password, why):
    found = " ".join(passwords.problems(password, "zhangsan"))
    assert why.replace("至少 3 类", "至少 3") in found or why in found, found


def test_a_strong_password_passes(db):
    assert passwords.problems("Qinghai-Lake-2026", "zhangsan") == []


def test_rules_are_settings(db):
    settings.put(passwords.MIN_LENGTH, 12)
    db.session.commit()
    assert passwords.problems("Short-Pass1", "x")


def _sign_in(client, username, password=PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


def test_admin_forced_reset_sends_the_user_to_the_password_form_until_changed(client, login_as, db):
    admin = login_as("admin")
    user = make_user("reset_me", "officer")
    response = admin.post(f"/admin/users/{user.id}", data={"username": "reset_me", "role": "officer",
                                                           "active": "y", "password": "Temporary-2026!"})
    assert response.status_code == 302
    _sign_in(client, "reset_me", "Temporary-2026!")
    blocked = client.get("/home")
    assert blocked.status_code == 302 and blocked.headers["Location"].endswith("/profile")
    assert client.get("/profile").status_code == 200
    new = "My-Own-Pass-2026"
    client.post("/profile/password", data={"current": "Temporary-2026!", "new": new, "confirm": new})
    assert client.get("/home").status_code == 200
    assert not db.session.get(User, user.id).must_change_password


def test_forced_reset_blocks_the_api_too(api_as, db):
    api = api_as("officer")
    api.user.must_change_password = True
    db.session.commit()
    response = api.get("/api/v1/me")
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "password_change_required"


def test_expired_password_must_be_changed_when_expiry_is_on(client, db):
    user = make_user("old_pass", "officer")
    user.password_changed_at = utcnow() - timedelta(days=100)
    db.session.commit()
    _sign_in(client, "old_pass")
    assert client.get("/home").status_code == 200  # expiry is off by default (0)
    settings.put(PASSWORD_MAX_AGE, 90)
    db.session.commit()
    assert client.get("/home").status_code == 302
