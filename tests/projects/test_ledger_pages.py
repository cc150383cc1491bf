"""Project page actions: funds with an attachment, registration, problems, supervision closing."""
import io

from crm.projects.models import FundsEntry, Problem, Project, Supervision
from crm.projects.queries import open_problems
from crm.projects.stages import Stage
from tests import factories


def test_funds_attachment_is_checked_by_its_bytes(login_as, seeded):
    project = factories.project("NANCHUAN", Stage.started)
    seeded.session.commit()
    staff = login_as("park_staff", parks=["NANCHUAN"])
    form = {"period": "2025-10", "amount": "500", "source": "省内", "use": "fixed_assets", "evidence": "bank_receipt"}
    fake = staff.post(f"/projects/{project.id}/funds",
                      data={**form, "attachment": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "receipt.pdf")})
    assert fake.status_code == 422 and seeded.session.query(FundsEntry).count() == 0
    ok = staff.post(f"/projects/{project.id}/funds",
                    data={**form, "attachment": (io.BytesIO(b"%PDF-1.7 receipt"), "receipt.pdf")})
    assert ok.status_code == 302
    entry = seeded.session.query(FundsEntry).one()
    assert entry.attachment.endswith(".pdf") and "receipt" not in entry.attachment
    download = staff.get(f"/projects/funds/{entry.id}/attachment")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert login_as("park_staff", parks=["GANHE"]).get(f"/projects/funds/{entry.id}/attachment").status_code == 404


def test_registration_checks_the_credit_code(login_as, seeded):
    project = factories.project("NANCHUAN", Stage.preparing)
    seeded.session.commit()
    staff = login_as("park_staff", parks=["NANCHUAN"])
    url = f"/projects/{project.id}/registration"
    assert staff.post(url, data={"registered_date": "2025-07-10", "local_credit_code": "91630000ABCDEFGH12"}
                      ).status_code == 422
    assert staff.post(url, data={"registered_date": "2025-07-10", "local_credit_code": "91110000600037341L"}
                      ).status_code == 302
    assert seeded.session.get(Project, project.id).local_credit_code == "91110000600037341L"


def test_problems_and_supervision_follow_their_status(login_as, seeded):
    project = factories.project("NANCHUAN", Stage.started, name="问题项目")
    seeded.session.commit()
    staff = login_as("park_staff", parks=["NANCHUAN"])
    staff.post(f"/projects/{project.id}/problems", data={"description": "用地指标未落实", "category": "用地"})
    problem = seeded.session.query(Problem).one()
    assert [p.id for p in seeded.session.scalars(open_problems(staff.user))] == [problem.id]
    assert list(seeded.session.scalars(open_problems(login_as("park_staff", parks=["GANHE"]).user))) == []
    staff.post(f"/projects/problems/{problem.id}/status", data={"status": "solved", "comment": "已调剂指标"})
    seeded.session.refresh(problem)
    assert problem.status == "solved" and problem.resolution == "已调剂指标" and problem.resolved_on
    manager = login_as("manager")
    manager.post(f"/projects/{project.id}/supervisions",
                 data={"instruction": "尽快协调用电", "owner_id": staff.user.id, "leader": "李书记"})
    item = seeded.session.query(Supervision).one()
    assert login_as("officer").post(f"/projects/supervisions/{item.id}/close", data={}).status_code == 403
    assert staff.post(f"/projects/supervisions/{item.id}/close", data={"comment": "已接电"}).status_code == 302
    assert "尽快协调用电" not in staff.get("/home").get_data(as_text=True)
