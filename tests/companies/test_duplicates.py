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
