"""The audit log reads in Chinese words: actions, objects by kind, number and name, and changes before → after."""
from crm.companies import services as company_services


def test_the_audit_log_shows_actions_objects_and_changes_in_words(seeded, login_as, client):
    from tests.conftest import PASSWORD, make_user

    admin = login_as("admin")
    answer = admin.post("/admin/users", data={"username": "liu_gl", "display_name": "刘管理", "role": "admin",
                                              "password": "Liu-Guanli-2026!x", "unit": ""})
    assert answer.status_code == 302
    company = company_services.create_company({"name": "青海蓝昌物流有限公司"}, actor=admin.user)
    seeded.session.commit()
    make_user("ma_officer", "officer")
    client.post("/login", data={"username": "ma_officer", "password": PASSWORD})
    page = admin.get("/admin/audit").get_data(as_text=True)
    body = page[page.index("<tbody>"):]
    assert ">登录<" in body and "新建用户" in body and "新建企业" in body
    assert f"企业 #{company.id} 青海蓝昌物流有限公司" in body
    assert "角色：无 → 管理员" in body
    text = _cells(body)
    for raw in ("auth.login", "user.create", "users #", "companies #", "None", "role:", "['"):
        assert raw not in text, raw


def _cells(body: str) -> str:
    """The table's text, without the attributes (the raw action stays in a tooltip)."""
    import re

    return re.sub(r"<[^>]+>", " ", body.split("</tbody>")[0])
