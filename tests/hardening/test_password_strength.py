"""Common and guessable passwords are refused with a reason in Chinese, wherever a password is set."""
import re

import pytest

from crm.auth import passwords
from crm.auth import services as auth_services
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from tests.conftest import PASSWORD

GUESSABLE = ["Passw0rd!", "aaaaaaaA1", "Qwerty123!", "Woaini1314!", "Abcd1234!", "Zhangsan2026!"]
STRONG = ["Yanhu-Lithium-Golmud-2027", "tq8#Lm2v-Kx9!pZ", "Caidam basin 7 salt lakes!"]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("password", GUESSABLE)
def test_a_guessable_password_is_refused_with_a_chinese_reason(app, password):
    with app.test_request_context():
        found = passwords.problems(password, "zhangsan")
    assert found and all(CJK.search(message) for message in found)


@pytest.mark.parametrize("password", STRONG)
def test_a_long_uncommon_password_passes(app, password):
    with app.test_request_context():
        assert passwords.problems(password, "zhangsan") == []


def test_the_common_list_is_read_from_seeds_without_regard_to_case(app):
    assert {"password", "woaini1314", "88888888"} <= passwords.common_passwords()
    with app.test_request_context():
        assert "该密码过于常见，请换一个。" in passwords.problems("WOAINI1314", "")


def test_the_profile_and_the_services_refuse_a_guessable_password(login_as, db):
    client = login_as("officer")
    for new, reason in (("Passw0rd!", "过于常见"), ("aaaaaaaA1", "容易被猜中")):
        answer = client.post("/profile/password", data={"current": PASSWORD, "new": new, "confirm": new})
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422 and reason in page, re.findall(r"invalid-feedback[^>]*>[^<]*", page)
    with pytest.raises(ServiceError):
        auth_services.set_password(client.user, "aaaaaaaA1", now=utcnow())
    with pytest.raises(ServiceError):
        auth_services.create_user("lisi", "Passw0rd!", "officer")


def test_a_generated_password_passes_the_rules(app):
    with app.test_request_context():
        assert passwords.problems(auth_services.random_password()) == []
