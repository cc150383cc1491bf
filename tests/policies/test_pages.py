"""The library's pages, what applies on the project and company pages, the Word sheet and admin edits."""
import io
from datetime import date
from decimal import Decimal

from docx import Document

from crm.companies.models import CompanyTier
from crm.policies.models import PolicyDocument
from tests import factories


def _doc(seeded, key: str) -> PolicyDocument:
    return seeded.session.query(PolicyDocument).filter_by(key=key).one()


def _project(seeded, intensity: str, **fields):
    project = factories.project("NANCHUAN", fixed_asset_investment=Decimal(intensity) * 100, land_mu=Decimal(100),
                                **fields)
    seeded.session.commit()
    return project


def test_the_library_searches_and_marks_the_words(seeded, login_as):
    client = login_as("officer")
    page = client.get("/policies/?q=投资强度").get_data(as_text=True)
    assert "集约利用土地" in page and "<mark>投资强度</mark>超过500万元/亩" in page
    fragment = client.get("/policies/?q=投资强度", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<form" not in fragment and "<mark>" in fragment
    assert "没有符合条件的政策文件" in client.get("/policies/?q=投资强度&tag=人才").get_data(as_text=True)


def test_a_document_lists_its_clauses_and_an_expired_one_says_so(seeded, login_as):
    document = _doc(seeded, "002")
    client = login_as("park_staff", ["GANHE"])
    page = client.get(f"/policies/{document.id}").get_data(as_text=True)
    assert page.count('id="clause-') == len(document.clauses) and "已失效" not in page
    document.status = "repealed"
    seeded.session.commit()
    page = client.get(f"/policies/{document.id}").get_data(as_text=True)
    assert "本文件已失效，其条款不再计为适用" in page and page.count("已失效</span>") == len(document.clauses)


def test_a_warning_link_leads_to_its_clause(seeded, login_as):
    response = login_as("officer").get("/policies/clause/land_priority_002")
    clause = next(c for c in _doc(seeded, "002").clauses if c.path == "七、（十八）")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#clause-{clause.id}")
    assert login_as("officer").get("/policies/clause/no_such_rule").status_code == 404


def test_the_project_page_fetches_what_applies(seeded, login_as):
    project = _project(seeded, "620")
    client = login_as("officer")
    assert f"/policies/projects/{project.id}" in client.get(f"/projects/{project.id}").get_data(as_text=True)
    fragment = client.get(f"/policies/projects/{project.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "投资强度 620万元/亩 ＞ 500 → 可优先保障新增建设用地年度计划（002 七、（十八）集约利用土地）" in fragment
    assert login_as("park_staff", ["GANHE"]).get(f"/policies/projects/{project.id}").status_code == 404


def test_the_company_page_lists_per_project_what_applies(seeded, login_as):
    company = factories.company("政策测试企业有限公司")
    _project(seeded, "620", company=company, name="政策测试项目")
    client = login_as("officer")
    assert f"/policies/companies/{company.id}" in client.get(f"/companies/{company.id}").get_data(as_text=True)
    page = client.get(f"/policies/companies/{company.id}").get_data(as_text=True)
    assert "政策测试项目" in page and "投资强度 620万元/亩 ＞ 500" in page


def test_the_matching_result_links_each_park_to_its_policies(seeded, login_as):
    company = factories.company("政策测试央企有限公司", main_business="锂电池正极材料、磷酸铁锂的生产")
    seeded.session.add(CompanyTier(company_id=company.id, tier="央企", year=2024))
    seeded.session.commit()
    client = login_as("officer")
    assert "/policies/parks/" in client.get(f"/matching/companies/{company.id}").get_data(as_text=True)
    page = client.get(f"/policies/parks/NANCHUAN?company={company.id}").get_data(as_text=True)
    assert "企业层级 央企 属于 央企 → 属精准招商、点对点招商的重点对象" in page
    anonymous = client.get("/policies/parks/NANCHUAN").get_data(as_text=True)
    assert "企业无层级记录" in anonymous


def test_the_word_sheet_holds_the_met_clauses_and_leaves_expired_ones_out(seeded, login_as):
    project = _project(seeded, "620", agreed_investment=Decimal(62000))
    response = login_as("officer").get(f"/policies/projects/{project.id}/sheet.docx")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "投资强度 620万元/亩 ＞ 500 → 可优先保障新增建设用地年度计划" in text
    assert "须建立项目推进台帐" in text  # 004: 5亿 and more
    _doc(seeded, "002").expires_on = date(2020, 12, 31)
    seeded.session.commit()
    response = login_as("officer").get(f"/policies/projects/{project.id}/sheet.docx")
    assert "投资强度 620" not in "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)


def test_admins_edit_a_document_and_a_clause_with_history(seeded, login_as):
    document = _doc(seeded, "000")
    admin = login_as("admin")
    bad = admin.post(f"/policies/{document.id}/edit", data={
        "key": "000", "title": "新标题", "level": "province", "status": "current", "issued_on": "2011-05-01",
        "expires_on": "2010-01-01", "replaced_by": ""})
    assert bad.status_code == 422 and "失效日期早于发文日期" in bad.get_data(as_text=True)
    assert 'value="新标题"' in bad.get_data(as_text=True)
    seeded.session.expire_all()
    assert _doc(seeded, "000").title == "青海省承接产业转移实施方案"
    good = admin.post(f"/policies/{document.id}/edit", data={
        "key": "000", "title": "青海省承接产业转移实施方案", "level": "province", "status": "repealed",
        "year": "2011", "replaced_by": "004", "regions": "QH", "expires_on": "2015-12-31"})
    assert good.status_code == 302
    seeded.session.expire_all()
    document = _doc(seeded, "000")
    assert document.status == "repealed" and document.replaced_by.key == "004"
    clause = document.clauses[3]
    assert admin.post(f"/policies/{document.id}/clauses/{clause.id}/edit",
                      data={"heading": clause.heading, "text": clause.text, "tags": ["人才"]}).status_code == 302
    page = admin.get(f"/policies/{document.id}").get_data(as_text=True)
    assert "policy.update" in page and "policy.clause_update" in page and "替代文件" in page
    assert login_as("officer").get(f"/policies/{document.id}/edit").status_code == 403
