"""Every form answers bad input by showing itself again: 422, each error beside its field, what was typed kept."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from crm.companies.models import ContactLog, Trip
from crm.projects.stages import Stage
from tests import factories


class _Fields(HTMLParser):
    """Values of the named fields and the texts of the error messages shown beside fields."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.invalid: set[str] = set()
        self.errors: list[str] = []
        self._textarea = self._select = None
        self._in_error = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name, classes = attrs.get("name"), (attrs.get("class") or "").split()
        if name and "is-invalid" in classes:
            self.invalid.add(name)
        if tag == "input" and name and attrs.get("type") not in ("checkbox", "radio", "password"):
            self.values.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:  # its text, without the newline a browser drops after the tag
            self._textarea = name
            self.values.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.setdefault(self._select, []).append(attrs.get("value") or "")
        if "invalid-feedback" in classes:
            self._in_error = 1
            self.errors.append("")
        elif self._in_error:
            self._in_error += 1

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        if self._in_error:
            self._in_error -= 1

    def handle_data(self, data):
        if self._textarea:
            shown = self.values[self._textarea]
            shown[-1] = (shown[-1] + data).removeprefix("\r\n").removeprefix("\n")
        if self._in_error:
            self.errors[-1] += data


@dataclass
class Case:
    name: str
    role: str
    path: str  # the form's action, with {placeholders} filled from the world
    data: dict
    bad: str  # the field marked in error
    message: str  # words of the message shown beside it
    kept: dict = field(default_factory=dict)  # field -> the value typed, shown again
    status: int = 422


FUNDS = {"source": "省外境内", "use": "fixed_assets", "evidence": ""}
CASES = [
    Case("company new", "officer", "/companies/new", {"name": "", "main_business": "储能系统集成"}, "name", "必填",
         {"main_business": "储能系统集成"}),
    Case("company edit", "officer", "/companies/{company}/edit",
         {"name": "北辰储能科技有限公司", "registered_capital": "五百", "hq_city": "常州市"}, "registered_capital",
         "金额无效", {"registered_capital": "五百", "hq_city": "常州市"}),
    Case("contact log", "officer", "/contacts/companies/{company}/logs/new",
         {"date": "2026-03-10", "kind": "拜访", "summary": "洽谈用地", "next_follow_up": "2026-03-01"},
         "next_follow_up", "不能早于", {"summary": "洽谈用地", "next_follow_up": "2026-03-01"}),
    Case("contact log edit", "manager", "/contacts/logs/{log}/edit",
         {"date": "2026-03-10", "kind": "电话", "summary": "", "next_step": "寄资料"}, "summary", "必填",
         {"next_step": "寄资料"}),
    Case("contact", "officer", "/contacts/companies/{company}/contacts/new", {"name": "李经理", "mobile": "12345"},
         "mobile", "11 位", {"name": "李经理", "mobile": "12345"}),
    Case("trip", "officer", "/contacts/trips/new",
         {"title": "长三角招商", "leader_level": "", "start_date": "2026-05-10", "end_date": "2026-05-01"},
         "end_date", "日期无效", {"title": "长三角招商"}),
    Case("trip visit", "officer", "/contacts/trips/{trip}/visits",
         {"company": "不存在的企业有限公司", "date": "2026-05-02", "kind": "拜访", "summary": "介绍园区"},
         "company", "找不到企业", {"company": "不存在的企业有限公司", "summary": "介绍园区"}),
    Case("project new", "officer", "/projects/new",
         {"name": "储能电池项目", "company": "没有这家企业", "park_id": "{park}"}, "company", "企业不存在",
         {"name": "储能电池项目", "company": "没有这家企业"}),
    Case("project edit", "officer", "/projects/{lead}/edit",
         {"name": "储能电池项目", "company": "北辰储能科技有限公司", "company_id": "{company}", "park_id": "{park}",
          "agreed_investment": "五百", "version": "1"}, "agreed_investment", "", {"agreed_investment": "五百"}),
    Case("funds", "park_staff", "/projects/{signed}/funds", {**FUNDS, "period": "2026年11月", "amount": "五百"},
         "amount", "500", {"period": "2026年11月", "amount": "五百"}),
    Case("funds month", "park_staff", "/projects/{signed}/funds", {**FUNDS, "period": "去年十一月", "amount": "500"},
         "period", "2026-11", {"period": "去年十一月", "amount": "500"}),
    Case("problem", "park_staff", "/projects/{signed}/problems",
         {"description": "", "category": "用地", "responsible_unit": "自然资源局"}, "description", "必填",
         {"responsible_unit": "自然资源局"}),
    Case("task", "park_staff", "/projects/{signed}/tasks", {"kind": "task", "description": "", "owner": "园区管委会"},
         "description", "必填", {"owner": "园区管委会"}),
    Case("registration", "park_staff", "/projects/{preparing}/registration",
         {"registered_date": "2026-01-05", "local_credit_code": "123"}, "local_credit_code", "",
         {"local_credit_code": "123"}),
    Case("supervision", "manager", "/projects/{signed}/supervisions",
         {"instruction": "", "leader": "王副省长", "owner_id": "{manager}"}, "instruction", "必填",
         {"leader": "王副省长"}),
    Case("event", "officer", "/events/new", {"type_id": "{event_type}", "name": "2026青洽会", "year": "1800"}, "year",
         "1990", {"name": "2026青洽会"}),
    Case("target", "admin", "/dashboard/targets",
         {"unit": "NOWHERE", "year": "2026", "metric": "signed", "value": "20", "note": "省定目标"}, "unit",
         "无效", {"unit": "NOWHERE", "note": "省定目标"}),
    Case("password", "officer", "/profile/password", {"current": "x", "new": "Abc-12345-x", "confirm": "different"},
         "confirm", "不一致"),
    Case("token", "officer", "/profile/tokens", {"name": ""}, "name", "必填"),
    Case("new user", "admin", "/admin/users",
         {"username": "zhou", "display_name": "周专员", "role": "park_staff", "password": "Lake-Pass-2026!x"}, "parks",
         "园区", {"username": "zhou", "display_name": "周专员"}),
    Case("user edit", "admin", "/admin/users/{manager}",
         {"username": "m", "display_name": "新名字", "role": "manager", "active": "y", "password": "short"},
         "password", "", {"display_name": "新名字"}),
    Case("security settings", "admin", "/admin/settings",
         {"min_length": "4", "min_classes": "3", "max_age_days": "90", "retention_days": "365"}, "min_length", "8",
         {"min_length": "4", "retention_days": "365"}),
    Case("schedule", "admin", "/notifications/admin/schedule",
         {"stale_days": "30", "yellow_days": "30", "red_days": "10", "funds_report_day": "10"}, "red_days", "大于",
         {"stale_days": "30", "red_days": "10"}),
    Case("park chain", "admin", "/parks/NANCHUAN/chains", {"name": "链" * 121}, "name", "120", {"name": "链" * 121}),
    Case("park profile", "admin", "/parks/NANCHUAN/profile", {"positioning": "锂电" * 2600, "industries": "锂电"},
         "positioning", "5000", {"industries": "锂电"}),
    Case("company import", "officer", "/companies/import", {"kind": "companies"}, "file", ""),
]


@pytest.fixture
def world(seeded, login_as):
    clients = {role: login_as(role, parks=("NANCHUAN",) if role == "park_staff" else ())
               for role in ("officer", "manager", "park_staff", "admin")}
    company = factories.company("北辰储能科技有限公司")
    log = ContactLog(company_id=company.id, date=date(2026, 3, 1), kind="拜访", summary="初次拜访",
                     officer_id=clients["officer"].user.id)
    trip = Trip(title="珠三角招商", start_date=date(2026, 5, 1))
    seeded.session.add_all([log, trip])
    lead = factories.project(company=company, name="储能电池项目")
    signed = factories.project(stage=Stage.signed, company=company, agreed_investment=Decimal("60000"))
    preparing = factories.project(stage=Stage.preparing, company=company, name="储能前期项目")
    event = factories.event(2025)
    seeded.session.flush()
    ids = {"company": company.id, "log": log.id, "trip": trip.id, "lead": lead.id, "signed": signed.id,
           "preparing": preparing.id, "park": factories.park("NANCHUAN").id, "manager": clients["manager"].user.id,
           "event_type": event.type_id}
    seeded.session.commit()
    return SimpleNamespace(clients=clients, ids=ids)


def _filled(text: str, ids: dict) -> str:
    return text.format(**ids) if "{" in text and "}" in text and len(text) < 60 else text


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_shows_the_form_again_with_the_error_and_the_input(world, case):
    data = {k: _filled(v, world.ids) for k, v in case.data.items()}
    if case.name == "user edit":
        data["username"] = world.clients["manager"].user.username
    answer = world.clients[case.role].post(_filled(case.path, world.ids), data=data)
    html = answer.get_data(as_text=True)
    assert answer.status_code == case.status, html[:2000]
    fields = _Fields()
    fields.feed(html)
    assert case.bad in fields.invalid, f"{case.bad} not marked invalid; marked: {fields.invalid}"
    assert fields.errors and any(case.message in e for e in fields.errors), fields.errors
    for name, typed in case.kept.items():
        assert typed in fields.values.get(name, []), f"{name}: typed {typed!r}, shown {fields.values.get(name)}"
