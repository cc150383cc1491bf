"""Duplicate checks by former names: found through the search index, as a whole former name only, for
companies written earlier in the same transaction too, and by a plain test for one-character names."""
from crm.companies import services
from crm.companies.services import find_duplicates


def _company(name, former=()):
    return services.create_company({"name": name, "former_names": list(former)}, actor=None, confirm_distinct=True)


def test_a_former_name_is_a_duplicate_as_a_whole_name_only(db):
    renamed = _company("青海新名测试有限公司", former=["西宁老字号测试有限公司"])
    _company("无关测试有限公司")
    db.session.commit()
    assert [c.id for c in find_duplicates("西宁老字号测试有限公司")] == [renamed.id]
    assert [c.id for c in find_duplicates("老字号测试有限公司")] == []  # a part of a former name is not one


def test_a_company_written_earlier_in_the_same_import_is_found(db):
    first = _company("海东前名测试有限公司", former=["海东旧称测试股份有限公司"])
    db.session.flush()
    assert [c.id for c in find_duplicates("海东旧称测试有限公司")] == [first.id]


def test_a_one_character_former_name_is_still_found(db):
    single = _company("格尔木某某测试有限公司", former=["鑫有限公司"])
    db.session.commit()
    assert [c.id for c in find_duplicates("鑫有限公司")] == [single.id]


def test_a_batch_is_checked_as_each_company_would_be(db):
    from crm.companies.models import Company
    from crm.core.errors import ServiceError
    from tests.companies.codes import valid_code

    coded = services.create_company({"name": "格尔木代码测试有限公司", "credit_code": valid_code(7)}, actor=None)
    renamed = _company("青海新名测试有限公司", former=["西宁老字号测试有限公司"])
    db.session.commit()
    outcomes = services.create_companies([
        ({"name": "另一个名字测试有限公司", "credit_code": valid_code(7)}, []),  # the code is taken
        ({"name": "西宁老字号测试股份有限公司"}, []),  # an existing company's former name
        ({"name": "格尔木代码测试集团"}, []),  # an existing name, normalised
        ({"name": "海西批量测试有限公司"}, [("中国500强", 2025)]),
        ({"name": "海西批量测试股份有限公司"}, []),  # the item before it, normalised
        ({"name": ""}, []),
        ({"name": "海南代码甲测试有限公司", "credit_code": valid_code(8)}, []),
        ({"name": "海南代码乙测试有限公司", "credit_code": valid_code(8)}, []),  # the item before it's code
    ], actor=None)
    refused = [o.fields.get("duplicate_of") if isinstance(o, ServiceError) else None for o in outcomes]
    assert refused[:3] == [coded.id, renamed.id, coded.id]
    assert isinstance(outcomes[3], Company) and outcomes[3].id and {t.tier for t in outcomes[3].tiers} == {"中国500强"}
    assert isinstance(outcomes[4], ServiceError) and isinstance(outcomes[5], ServiceError)
    assert isinstance(outcomes[6], Company) and "credit_code" in outcomes[7].fields
    db.session.commit()
    assert db.session.query(Company).count() == 4
