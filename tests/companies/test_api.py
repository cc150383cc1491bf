"""The companies API: create with checks, duplicates, search, update, contacts and logs."""
from crm.companies.models import Company
from tests.companies.codes import broken_code, valid_code


def test_wrong_check_character_is_refused_naming_the_field(api_as):
    api = api_as("officer")
    response = api.post("/api/v1/companies", json={"name": "青海测试锂业有限公司", "credit_code": broken_code(1)})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "credit_code" in error["fields"] and "校验位" in error["message"]


def test_duplicates_by_code_and_by_normalised_name_are_caught(api_as, db):
    api = api_as("officer")
    first = api.post("/api/v1/companies", json={"name": "青海测试锂业有限公司", "credit_code": valid_code(1)})
    assert first.status_code == 201
    kept_id = first.get_json()["id"]
    by_name = api.post("/api/v1/companies", json={"name": "青海测试锂业股份有限公司"})
    assert by_name.status_code == 409
    assert by_name.get_json()["error"]["code"] == "duplicate"
    assert by_name.get_json()["error"]["fields"]["duplicate_of"] == kept_id
    by_code = api.post("/api/v1/companies", json={"name": "别的名字", "credit_code": valid_code(1),
                                                  "confirm_distinct": True})
    assert by_code.status_code == 409 and by_code.get_json()["error"]["fields"]["duplicate_of"] == kept_id
    confirmed = api.post("/api/v1/companies", json={"name": "青海测试锂业股份有限公司", "confirm_distinct": True})
    assert confirmed.status_code == 201
    assert db.session.query(Company).count() == 2


def test_full_width_brackets_variant_is_a_duplicate(api_as):
    api = api_as("officer")
    assert api.post("/api/v1/companies", json={"name": "华为技术（深圳）有限公司"}).status_code == 201
    assert api.post("/api/v1/companies", json={"name": "华为技术 (深圳) 有限公司"}).status_code == 409


def test_search_by_pinyin_initials_full_pinyin_fragment_and_code(api_as):
    api = api_as("officer")
    api.post("/api/v1/companies", json={"name": "中国石化测试分公司", "credit_code": valid_code(7)})
    api.post("/api/v1/companies", json={"name": "青海盐湖测试有限公司"})
    for q in ("zgsh", "zhongguoshihua", "shihua", "石化测试", valid_code(7)):
        names = [c["name"] for c in api.get(f"/api/v1/companies?q={q}").get_json()["items"]]
        assert names == ["中国石化测试分公司"], q
    # two letters are a fragment of the initials (z-g-s-h) or of the full pinyin (ce-shi) alike
    names = {c["name"] for c in api.get("/api/v1/companies?q=sh").get_json()["items"]}
    assert names == {"中国石化测试分公司", "青海盐湖测试有限公司"}


def test_update_keeps_old_name_and_refuses_a_stale_version(api_as):
    api = api_as("officer")
    created = api.post("/api/v1/companies", json={"name": "旧名称测试有限公司"}).get_json()
    ok = api.patch(f"/api/v1/companies/{created['id']}", json={"name": "新名称测试有限公司", "version": 1})
    assert ok.status_code == 200 and ok.get_json()["former_names"] == ["旧名称测试有限公司"]
    stale = api.patch(f"/api/v1/companies/{created['id']}", json={"notes": "x", "version": 1})
    assert stale.status_code == 409
    found = api.get("/api/v1/companies?q=旧名称").get_json()["items"]
    assert [c["id"] for c in found] == [created["id"]]


def test_contacts_and_logs_update_last_contact(api_as):
    api = api_as("officer")
    cid = api.post("/api/v1/companies", json={"name": "接洽测试有限公司"}).get_json()["id"]
    bad = api.post(f"/api/v1/companies/{cid}/contacts", json={"name": "张三", "mobile": "12345"})
    assert bad.status_code == 422 and "mobile" in bad.get_json()["error"]["fields"]
    contact = api.post(f"/api/v1/companies/{cid}/contacts", json={"name": "张三", "mobile": "138 0000 1111"})
    assert contact.status_code == 201 and contact.get_json()["is_primary"] is True
    log = api.post(f"/api/v1/companies/{cid}/logs", json={
        "date": "2026-03-01", "kind": "拜访", "summary": "洽谈碳酸锂项目", "next_follow_up": "2026-03-15",
        "contact_ids": [contact.get_json()["id"]]})
    assert log.status_code == 201, log.get_json()
    assert api.post(f"/api/v1/companies/{cid}/logs", json={"date": "2026-03-01", "kind": "喝茶",
                                                            "summary": "x"}).status_code == 422
    assert api.get(f"/api/v1/companies/{cid}").get_json()["last_contact_on"] == "2026-03-01"
    assert api.get(f"/api/v1/companies/{cid}/logs").get_json()["total"] == 1


def test_park_staff_cannot_create(api_as, seeded):
    assert api_as("park_staff", parks=["NANCHUAN"]).post("/api/v1/companies", json={"name": "x"}).status_code == 403


def test_logs_api_reads_a_page_in_a_fixed_number_of_statements(api_as):
    from datetime import date, timedelta

    from crm.companies.models import Contact, ContactLog
    from crm.extensions import db
    from tests.conftest import make_user
    from tests.statements import recorded_statements

    api = api_as("officer")
    cid = api.post("/api/v1/companies", json={"name": "日志分页测试有限公司"}).get_json()["id"]
    contacts = [Contact(company_id=cid, name=f"联系人{i}") for i in range(3)]
    db.session.add_all(contacts)
    db.session.flush()

    def add_logs(n: int) -> None:
        officers = [make_user(f"logs_api_officer{len(contacts)}_{n}_{i}", "officer") for i in range(3)]
        for i in range(n):
            log = ContactLog(company_id=cid, date=date(2026, 1, 1) + timedelta(days=i), kind="电话",
                             summary=f"第{i}次", officer_id=officers[i % 3].id)
            log.contacts = contacts[: i % 4]
            db.session.add(log)
        db.session.commit()

    add_logs(3)
    api.get(f"/api/v1/companies/{cid}/logs")
    with recorded_statements() as few:
        api.get(f"/api/v1/companies/{cid}/logs")
    add_logs(60)
    with recorded_statements() as many:
        body = api.get(f"/api/v1/companies/{cid}/logs").get_json()
    assert len(many) <= len(few) + 1, "\n".join(s[:90] for s in many)  # +1: the throttled token "last used"
    assert body["total"] == 63 and len(body["items"]) == 50
    newest = body["items"][0]
    assert newest["date"] == "2026-03-01" and newest["officer"]
    assert newest["contact_ids"] == [c.id for c in contacts[:3]]


def test_posting_a_log_does_no_needless_work(api_as):
    from crm.extensions import db
    from tests.statements import recorded_statements

    api = api_as("officer")
    cid = api.post("/api/v1/companies", json={"name": "接洽写入测试有限公司"}).get_json()["id"]
    body = {"date": "2026-03-01", "kind": "电话", "summary": "电话跟进"}
    api.post(f"/api/v1/companies/{cid}/logs", json=body)
    with recorded_statements() as statements:
        response = api.post(f"/api/v1/companies/{cid}/logs", json={**body, "date": "2026-03-05"})
    assert response.status_code == 201 and response.get_json()["officer"] == api.user.name
    shown = "\n".join(s[:90] for s in statements)
    after_insert = statements[next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO contact_logs")):]
    # once the company is read (besides signing in): the log, the last contact, the audit entry, and no read at
    # all (no newest-log query for the last contact, no reading the log back after the commit)
    assert [s.split()[0] for s in after_insert] == ["INSERT", "UPDATE", "INSERT"], shown
    assert sum(" FROM companies " in " ".join(s.split()) + " " for s in statements) == 1, shown
    db.session.expire_all()
    assert api.get(f"/api/v1/companies/{cid}").get_json()["last_contact_on"] == "2026-03-05"
    api.post(f"/api/v1/companies/{cid}/logs", json={**body, "date": "2026-02-01"})  # older: last contact stays
    assert api.get(f"/api/v1/companies/{cid}").get_json()["last_contact_on"] == "2026-03-05"
