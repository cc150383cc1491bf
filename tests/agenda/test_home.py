"""The home page: 跟进 / 项目预警 / 督办, due today and overdue first, newest due first, a screen of each; and a
manager's figures (this year's rates against the targets, late projects, open supervision items)."""
import re
from datetime import date, timedelta
from decimal import Decimal

from crm.companies.models import ContactLog
from crm.core.db import utcnow
from crm.core.formatting import local_today
from crm.extensions import db as _db
from crm.metrics.models import PROVINCE, Target
from crm.projects.models import Supervision
from crm.projects.stages import Stage
from tests import factories as f

TODAY = local_today(utcnow())


def _group(html: str, key: str) -> str:
    return re.search(rf'<section class="col-lg-4" data-group="{key}".*?</section>', html, re.S).group(0)


def _dues(section: str) -> list[str]:
    return re.findall(r'data-due="([\d-]+)"', section)


def _follow_up(officer, name: str, due: date, logged: date | None = None):
    company = f.company(name, officer_id=officer.id)
    _db.session.add(ContactLog(company_id=company.id, date=logged or due - timedelta(days=30), kind="电话",
                               officer_id=officer.id, summary="电话沟通", next_step="寄送资料", next_follow_up=due))
    return company


def test_follow_ups_due_today_and_overdue_newest_due_first_a_screen_at_most(seeded, login_as):
    client = login_as("officer")
    for days in range(10):  # today, yesterday … nine days ago
        _follow_up(client.user, f"逾期{days}天公司", TODAY - timedelta(days=days))
    _follow_up(client.user, "明天跟进公司", TODAY + timedelta(days=1))
    closed = _follow_up(client.user, "已再次联系公司", TODAY - timedelta(days=3))
    _db.session.add(ContactLog(company_id=closed.id, date=TODAY - timedelta(days=1), kind="拜访",
                               officer_id=client.user.id, summary="再次拜访"))
    _db.session.commit()
    html = client.get("/home").get_data(as_text=True)
    section = _group(html, "follow_ups")
    assert _dues(section) == [(TODAY - timedelta(days=d)).isoformat() for d in range(8)]  # newest due first
    assert "今天" in section and "明天跟进公司" not in section and "已再次联系公司" not in section
    assert "<span class=\"badge text-bg-danger\" data-total>10</span>" in section
    assert "全部 10 项" in section and 'href="/contacts/logs?mine=1&amp;due=1"' in section
    listed = client.get("/contacts/logs?mine=1&due=1").get_data(as_text=True)
    assert "逾期9天公司" in listed and "已再次联系公司" not in listed  # 全部 lists the same open follow-ups


def test_warnings_and_supervisions_are_grouped_with_what_is_due_first(seeded, login_as):
    client = login_as("officer")
    me = client.user
    late_long = f.project("NANCHUAN", Stage.signed, name="早已逾期项目", officer_id=me.id,
                          planned_start_date=TODAY - timedelta(days=90))
    f.project("NANCHUAN", Stage.signed, name="刚逾期项目", officer_id=me.id,
              planned_start_date=TODAY - timedelta(days=2))
    f.project("NANCHUAN", Stage.signed, name="别人的逾期项目", planned_start_date=TODAY - timedelta(days=5))
    for instruction, due in (("下周到期", TODAY + timedelta(days=7)), ("昨天到期", TODAY - timedelta(days=1)),
                             ("今天到期", TODAY), ("没有时限", None), ("上月到期", TODAY - timedelta(days=30))):
        _db.session.add(Supervision(project_id=late_long.id, instruction=instruction, owner_id=me.id, due_date=due))
    _db.session.commit()
    html = client.get("/home").get_data(as_text=True)
    warnings = _group(html, "warnings")
    assert warnings.index("刚逾期项目") < warnings.index("早已逾期项目") and "别人的逾期项目" not in warnings
    assert f'href="/projects/?late=1&amp;officer={me.id}"' in warnings
    supervisions = _group(html, "supervisions")
    order = re.findall(r'<div class="text-muted">([^<]+)</div>', supervisions)
    assert order == ["今天到期", "昨天到期", "上月到期", "下周到期", "没有时限"]
    page = client.get("/home/supervisions").get_data(as_text=True)
    assert re.findall(r"<td>(今天到期|昨天到期|上月到期|下周到期|没有时限)</td>", page) == order
    assert "<title>督办事项 — 招商引资管理系统</title>" in page


def test_park_staff_see_their_parks_warnings_and_no_follow_up_group(seeded, login_as):
    client = login_as("park_staff", parks=["GANHE"])
    f.project("GANHE", Stage.signed, name="甘河逾期项目", planned_start_date=TODAY - timedelta(days=3))
    f.project("NANCHUAN", Stage.signed, name="南川逾期项目", planned_start_date=TODAY - timedelta(days=3))
    _db.session.commit()
    html = client.get("/home").get_data(as_text=True)
    assert 'data-group="follow_ups"' not in html
    warnings = _group(html, "warnings")
    assert "甘河逾期项目" in warnings and "南川逾期项目" not in warnings


def test_the_managers_home_shows_this_years_rates_against_targets_late_projects_and_supervision(seeded, login_as):
    client = login_as("manager")
    signed = date(TODAY.year, 1, 2)
    late = f.project("NANCHUAN", Stage.signed, name="滞后签约项目", signed_date=signed,
                     planned_start_date=TODAY - timedelta(days=10), agreed_investment=Decimal("3000"))
    f.project("NANCHUAN", Stage.started, signed_date=signed, agreed_investment=Decimal("1000"))
    f.project("GANHE", Stage.producing, signed_date=signed, agreed_investment=Decimal("1000"))
    _db.session.query(Target).delete()
    _db.session.add_all([Target(unit=PROVINCE, year=TODAY.year, metric="signed", value=Decimal(5)),
                         Target(unit=PROVINCE, year=TODAY.year, metric="start_rate", value=Decimal(50))])
    _db.session.add(Supervision(project_id=late.id, instruction="协调用地", due_date=TODAY - timedelta(days=1)))
    _db.session.commit()
    html = client.get("/home").get_data(as_text=True)
    leader = re.search(r"<section class=\"card mb-3\" data-leader.*?</section>", html, re.S).group(0)
    assert 'data-figure="start_rate">66.67%' in leader and 'data-figure="production_rate">50.00%' in leader
    assert 'data-target="signed">3 / 5' in leader and 'data-target="start_rate">66.67% / 50.00%' in leader
    assert "滞后签约项目" in leader and "未办结 1 项，其中逾期 1 项" in leader
    assert "协调用地" in _group(html, "supervisions")  # a manager's 督办 lists every open item
    officer_home = login_as("officer").get("/home").get_data(as_text=True)
    assert "data-leader" not in officer_home
