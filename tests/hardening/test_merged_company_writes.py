"""A company merged into another takes no new contacts or logs, whether written from a page or the API."""
from crm.companies import services
from crm.companies.models import Contact, ContactLog
from crm.contacts import services as contact_services
from crm.core.errors import ServiceError


def _merged_pair(db):
    kept = services.create_company({"name": "保留的锂业有限公司"}, actor=None)
    gone = services.create_company({"name": "并入的锂业有限公司"}, actor=None)
    services.merge_companies(kept, gone, actor=None)
    db.session.commit()
    return kept, gone


def test_pages_and_api_refuse_contacts_and_logs_on_a_merged_company(login_as, api_as, db):
    kept, gone = _merged_pair(db)
    page, api = login_as("officer"), api_as("officer")
    log = {"date": "2026-03-01", "kind": "拜访", "summary": "谈扩产"}
    answers = {
        "page contact": page.post(f"/contacts/companies/{gone.id}/contacts/new", data={"name": "张三"}).status_code,
        "page log": page.post(f"/contacts/companies/{gone.id}/logs/new", data=log).status_code,
        "api contact": api.post(f"/api/v1/companies/{gone.id}/contacts", json={"name": "张三"}).status_code,
        "api log": api.post(f"/api/v1/companies/{gone.id}/logs", json=log).status_code,
    }
    assert answers == dict.fromkeys(answers, 404)
    assert db.session.query(Contact).count() == 0 and db.session.query(ContactLog).count() == 0
    # the kept company takes both, from either side
    assert api.post(f"/api/v1/companies/{kept.id}/contacts", json={"name": "张三"}).status_code == 201
    assert page.post(f"/contacts/companies/{kept.id}/logs/new", data=log).status_code in (302, 204)


def test_the_services_themselves_refuse_a_merged_company(db):
    _kept, gone = _merged_pair(db)
    for write in (lambda: contact_services.add_contact(gone, {"name": "李四"}, actor=None),
                  lambda: contact_services.add_log(gone, {"date": None, "kind": "电话", "summary": "x"}, actor=None)):
        try:
            write()
        except ServiceError as error:
            assert error.status == 404 and "并入" in error.message
        else:
            raise AssertionError("a write on a merged company was accepted")
