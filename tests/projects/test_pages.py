"""Project pages: the list (filters, lateness, constant query count), stale saves, forms, board, home."""
import re
from datetime import date, timedelta
from decimal import Decimal

from crm.auth.services import create_user
from crm.companies.models import ContactLog
from crm.projects.models import FundsEntry, Problem, Project, ProjectTask, StageChange, Supervision
from crm.projects.queries import late_projects
from crm.projects.stages import Stage
from tests import factories
from tests.statements import recorded_statements


def _make(n: int):
    for i in range(n):
        factories.project("NANCHUAN" if i % 2 else "GANHE", Stage.signed, event_id=None)


def test_list_costs_the_same_number_of_queries_for_5_and_40_projects(login_as, seeded):
    client = login_as("manager")
    _make(5)
    seeded.session.commit()
    client.get("/projects/")  # warm caches (user, settings)
    with recorded_statements(seeded.engine) as few:
        assert client.get("/projects/").status_code == 200
    _make(35)
    seeded.session.commit()
    client.get("/projects/")  # the writes may have dropped a filter list (core/choices): warm it again
    with recorded_statements(seeded.engine) as many:
        page = client.get("/projects/?per_page=50").get_data(as_text=True)
    assert page.count("/projects/") >= 40
    # The guard is against growth with the rows shown (N+1); a warm cache may save one statement.
    assert len(many) <= len(few), "\n".join(sorted(set(many) - set(few)))


def test_a_late_project_is_flagged_in_red_and_filtered(login_as, seeded):
    today = date.today()
    past, future = today - timedelta(days=5), today + timedelta(days=5)
    late = factories.project("NANCHUAN", Stage.signed, name="逾期未开工项目", planned_start_date=past)
    factories.project("NANCHUAN", Stage.started, name="按期开工项目", planned_start_date=past)
    factories.project("NANCHUAN", Stage.signed, name="尚未到期项目", planned_start_date=future)
    seeded.session.commit()
    client = login_as("manager")
    page = client.get("/projects/").get_data(as_text=True)
    row = page[page.index("逾期未开工项目") - 300: page.index("逾期未开工项目") + 200]
    assert 'class="is-late"' in row and "滞后" in row
    filtered = client.get("/projects/?late=1").get_data(as_text=True)
    assert "逾期未开工项目" in filtered and "按期开工项目" not in filtered and "尚未到期项目" not in filtered
    assert "is-late" in client.get("/projects/board").get_data(as_text=True)
    assert client.get("/api/v1/projects/").status_code in (308, 404, 401)
    manager = client.user
    assert [p.id for p in seeded.session.scalars(late_projects(manager, today))] == [late.id]


def test_list_filters_by_park_stage_and_problems(login_as, api_as, seeded):
    a = factories.project("NANCHUAN", Stage.signed, name="南川签约项目")
    factories.project("GANHE", Stage.lead, name="甘河线索项目")
    seeded.session.commit()
    problem = {"description": "电力接入滞后", "category": "用电"}
    assert api_as("officer").post(f"/api/v1/projects/{a.id}/problems", json=problem).status_code == 201
    client = login_as("officer")
    page = client.get("/projects/?park=NANCHUAN").get_data(as_text=True)
    assert "南川签约项目" in page and "甘河线索项目" not in page
    assert "南川签约项目" not in client.get("/projects/?stage=lead").get_data(as_text=True)
    assert "甘河线索项目" not in client.get("/projects/?problems=1").get_data(as_text=True)
    staff = login_as("park_staff", parks=["GANHE"])
    assert "南川签约项目" not in staff.get("/projects/").get_data(as_text=True)
    assert "南川签约项目" not in staff.get("/projects/board").get_data(as_text=True)


def test_a_stale_save_is_refused_with_what_changed(login_as, api_as, seeded):
    project = factories.project("NANCHUAN", Stage.negotiating, name="原名项目")
    seeded.session.commit()
    first, second = login_as("officer"), login_as("manager")
    form = first.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    assert 'name="version"' in form

    def fields(page: str) -> dict:
        import re
        data = {}
        for name in ("version", "original", "company", "company_id", "park_id"):
            found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
                rf'id="{name}"[^>]*>\s*<option[^>]*selected[^>]*value="([^"]*)"', page)
            data[name] = found.group(1).replace("&#34;", '"').replace("&quot;", '"') if found else ""
        return data

    base = fields(form)
    base["park_id"] = str(project.park_id)
    changed = {**base, "name": "他人改过的名称", "contact_leader": "张副省长"}
    ok = second.post(f"/projects/{project.id}/edit", data=changed)
    assert ok.status_code == 302
    stale = first.post(f"/projects/{project.id}/edit", data={**base, "name": "我的新名称"})
    assert stale.status_code == 409
    text = stale.get_data(as_text=True)
    assert "已被他人修改" in text and "name" in text and "contact_leader" in text
    assert seeded.session.get(Project, project.id).name == "他人改过的名称"

    api = api_as("officer")
    current = api.get(f"/api/v1/projects/{project.id}").get_json()
    blind = api.patch(f"/api/v1/projects/{project.id}", json={"name": "接口改名"})
    assert blind.status_code == 428  # neither If-Match nor version: refused rather than overwriting
    assert api.patch(f"/api/v1/projects/{project.id}",
                     json={"name": "接口改名", "version": current["version"]}).status_code == 200
    assert api.patch(f"/api/v1/projects/{project.id}",
                     json={"name": "过期改名", "version": current["version"]}).status_code == 409


def test_new_project_form_from_the_company_page(login_as, seeded):
    company = factories.company("青海新建测试锂业有限公司", main_business="磷酸铁锂正极材料和锂电隔膜")
    seeded.session.commit()
    client = login_as("officer")
    form = client.get(f"/projects/new?company_id={company.id}&park=NANCHUAN").get_data(as_text=True)
    assert "青海新建测试锂业有限公司" in form
    park = factories.park("NANCHUAN")
    assert re.search(rf'<option selected value="{park.id}">[^<]*（NANCHUAN）', form), "?park=CODE preselects the park"
    assert 'data-select-park="NANCHUAN"' in form and f'data-park-id="{park.id}"' in form
    assert "js/parks.js" in form  # the 选用该园区 button works through it
    created = client.post("/projects/new", data={"name": "锂电池项目", "company": company.name,
                                                  "company_id": str(company.id), "park_id": str(park.id),
                                                  "agreed_investment": "60000", "jobs": "120"})
    assert created.status_code == 302, created.get_data(as_text=True)[-1500:]
    project = seeded.session.query(Project).filter_by(name="锂电池项目").one()
    assert project.stage == "lead" and project.officer_id == client.user.id
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "任务清单与责任清单" in page  # 6亿: the big-project ledger shows
    assert login_as("park_staff", parks=["NANCHUAN"]).get("/projects/new").status_code == 403


def test_board_move_opens_the_form_asking_for_the_facts(login_as, seeded):
    project = factories.project("NANCHUAN", Stage.lead)
    seeded.session.commit()
    client = login_as("manager")
    board = client.get("/projects/board").get_data(as_text=True)
    assert "Sortable.min.js" in board and f'data-project="{project.id}"' in board
    fragment = client.get(f"/projects/{project.id}/transition?to=signed", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and 'name="negotiating_date"' in text and 'name="signed_date"' in text
    refused = client.post(f"/projects/{project.id}/transition?to=signed", data={"signed_date": "2025-06-01"},
                          headers={"HX-Request": "true"})
    assert refused.status_code == 200 and "negotiating_date" in refused.get_data(as_text=True)
    assert seeded.session.get(Project, project.id).stage == "lead"
    done = client.post(f"/projects/{project.id}/transition?to=signed", headers={"HX-Request": "true"},
                       data={"negotiating_date": "2025-05-01", "signed_date": "2025-06-01",
                             "agreed_investment": "1000", "next": "/projects/board"})
    assert done.headers.get("HX-Redirect") == "/projects/board"
    assert seeded.session.get(Project, project.id).stage == "signed"


def test_home_card_lists_updates_due_and_supervision(login_as, seeded):
    project = factories.project("NANCHUAN", Stage.started, name="待更新项目")
    factories.project("GANHE", Stage.started, name="别园项目")
    seeded.session.commit()
    staff = login_as("park_staff", parks=["NANCHUAN"])
    home = staff.get("/home").get_data(as_text=True)
    assert "待更新项目" in home and "别园项目" not in home
    manager = login_as("manager")
    manager.post(f"/projects/{project.id}/supervisions", data={"instruction": "月底前解决用电问题",
                                                               "leader": "王主任", "owner_id": staff.user.id})
    assert "月底前解决用电问题" in staff.get("/home").get_data(as_text=True)


def _records(session, project, officers, n: int) -> None:
    """n of each record a project page lists, the contact logs, changes, funds and supervision by different people."""
    for i in range(n):
        officer = officers[i % len(officers)]
        session.add_all([
            ContactLog(company_id=project.company_id, project_id=project.id, date=date(2025, 5, 1 + i % 28),
                       officer_id=officer.id, summary=f"第{i}次洽谈", next_step="再谈"),
            StageChange(project_id=project.id, from_stage="lead", to_stage="negotiating", actor_id=officer.id,
                        facts={"negotiating_date": "2025-01-10"}),
            FundsEntry(project_id=project.id, period=date(2025, 1 + i % 12, 1), amount=Decimal(10 + i),
                       entered_by_id=officer.id),
            Problem(project_id=project.id, description=f"问题{i}", raised_on=date(2025, 5, 1)),
            Supervision(project_id=project.id, instruction=f"批示{i}", owner_id=officer.id),
            ProjectTask(project_id=project.id, description=f"任务{i}"),
        ])
    session.commit()


def test_project_page_costs_the_same_number_of_queries_however_many_records(login_as, seeded):
    project = factories.project("NANCHUAN", Stage.started, agreed_investment=Decimal(60000))  # big: task list
    officers = [create_user(f"officer_{i}", "Passw0rd!Passw0rd", "officer") for i in range(12)]
    seeded.session.commit()
    client, url = login_as("manager"), f"/projects/{project.id}"
    _records(seeded.session, project, officers[:1], 1)
    client.get(url)  # warm caches (user, settings)
    with recorded_statements(seeded.engine) as few:
        assert client.get(url).status_code == 200
    _records(seeded.session, project, officers, 24)  # logs, changes and funds by a dozen people
    client.get(url)  # the writes may have dropped a choice list (core/choices): warm it again
    with recorded_statements(seeded.engine) as many:
        page = client.get(url).get_data(as_text=True)
    assert page.count("次洽谈") == 25 and page.count("批示") >= 25
    assert len(many) <= len(few), "\n".join(many)
    everyone = {f"officer_{i}" for i in range(12)}
    for section in ("history", "supervision", "funds"):  # who made each change, owns each item, entered each sum
        card = page.split(f'id="{section}"')[1].split('<div class="card mb-3"')[0]
        assert set(re.findall(r"officer_\d+", card)) == everyone, section


def test_list_shows_the_names_it_joins(login_as, seeded):
    named = create_user("zhang_officer", "Passw0rd!Passw0rd", "officer")
    named.display_name = "张专员"
    unnamed = create_user("li_officer", "Passw0rd!Passw0rd", "officer")
    fair = factories.event(2025, name="2025青洽会")
    factories.project("NANCHUAN", Stage.signed, name="有专员项目", officer_id=named.id, event_id=fair.id)
    factories.project("NANCHUAN", Stage.signed, name="无名专员项目", officer_id=unnamed.id)
    factories.project("GANHE", Stage.lead, name="无专员项目")
    seeded.session.commit()
    page = login_as("manager").get("/projects/").get_data(as_text=True)

    def row(name: str) -> str:
        return page[page.index(name):page.index("</tr>", page.index(name))]

    assert "张专员" in row("有专员项目") and "2025青洽会" in row("有专员项目") and "南川" in row("有专员项目")
    assert "li_officer" in row("无名专员项目")  # no display name: the username, as User.name gives
    assert row("无专员项目").count("<td>—</td>") == 3  # no signing date, event or officer


def test_the_action_forms_are_fetched_when_asked_for(login_as, seeded):
    """The project page shows a button per action the user may take; htmx swaps the form in, a plain click opens
    it as a page. The supervision form offers every active user."""
    project = factories.project("NANCHUAN", Stage.started, name="表单项目", agreed_investment=Decimal("60000"))
    seeded.session.commit()
    manager = login_as("manager")
    owner = login_as("officer", username="owner_officer").user
    page = manager.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "<form" not in page.split('id="funds"')[1].split("</table>")[1].split('id="logs"')[0]
    for name in ("funds", "problems", "tasks", "registration", "supervisions"):  # each posts to /projects/<id>/<name>
        form_url = f"/projects/{project.id}/{name}/new"
        assert f'hx-get="{form_url}"' in page
        fragment = manager.get(form_url, headers={"HX-Request": "true"}).get_data(as_text=True)
        assert fragment.lstrip().startswith("<form") and f'action="/projects/{project.id}/{name}"' in fragment
        whole = manager.get(form_url).get_data(as_text=True)
        assert "<html" in whole and "表单项目" in whole and f'action="/projects/{project.id}/{name}"' in whole
    supervision = manager.get(f"/projects/{project.id}/supervisions/new", headers={"HX-Request": "true"})
    assert f'<option value="{owner.id}">' in supervision.get_data(as_text=True)
    assert manager.get("/projects/999999/funds/new").status_code == 404
    assert manager.get(f"/projects/{project.id}/nonsense/new").status_code == 404


def test_an_action_form_is_offered_only_to_who_may_use_it_where_it_applies(login_as, seeded):
    started = factories.project("NANCHUAN", Stage.started, name="开工项目")
    lead = factories.project("NANCHUAN", Stage.lead, name="线索项目")
    elsewhere = factories.project("GANHE", Stage.started, name="别园项目")
    seeded.session.commit()
    officer, staff = login_as("officer"), login_as("park_staff", parks=["NANCHUAN"])
    officer_page = officer.get(f"/projects/{started.id}").get_data(as_text=True)
    for name in ("funds", "problems"):
        assert f"/projects/{started.id}/{name}/new" in officer_page
    for name in ("supervisions", "registration", "tasks"):  # a manager's, park staff's, a big project's
        assert f"/projects/{started.id}/{name}/new" not in officer_page
    assert officer.get(f"/projects/{started.id}/supervisions/new").status_code == 403
    assert officer.get(f"/projects/{started.id}/registration/new").status_code == 403
    assert staff.get(f"/projects/{started.id}/registration/new").status_code == 200
    not_big = officer.get(f"/projects/{started.id}/tasks/new")
    assert not_big.status_code == 409 and "该项目当前不适用此项" in not_big.get_data(as_text=True)
    assert f"/projects/{lead.id}/funds/new" not in officer.get(f"/projects/{lead.id}").get_data(as_text=True)
    assert officer.get(f"/projects/{lead.id}/funds/new").status_code == 409  # funds are reported once signed
    assert staff.get(f"/projects/{elsewhere.id}/funds/new").status_code == 404  # outside their parks
