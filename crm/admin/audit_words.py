"""The audit log in words: actions, objects and changes as an administrator reads them (登录, 企业 #1 蓝昌物流,
角色：无 → 管理员), never the codes, table names or Python values they are stored as."""
from datetime import date, datetime

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from crm.core.formatting import local_datetime
from crm.core.permissions import ROLE_LABELS
from crm.extensions import db

OBJECTS = {
    "users": _l("用户"), "api_tokens": _l("访问令牌"), "companies": _l("企业"), "contacts": _l("联系人"),
    "contact_logs": _l("接洽记录"), "trips": _l("外出招商"), "company_tiers": _l("企业榜单"),
    "projects": _l("项目"), "stage_changes": _l("阶段变更"), "funds_entries": _l("到位资金"), "problems": _l("问题"),
    "supervisions": _l("督办"), "project_tasks": _l("任务清单"), "events": _l("展会活动"), "parks": _l("园区"),
    "chains": _l("产业链"), "chain_links": _l("链环节"), "metric_targets": _l("目标"), "settings": _l("设置"),
    "audit_log": _l("审计日志"), "policy_documents": _l("政策文件"), "policy_clauses": _l("政策条款"),
    "notification_preferences": _l("通知偏好"), "carriers": _l("载体"), "project_needs": _l("项目需求"),
    "project_yearly_figures": _l("年度数据"), "company_merges": _l("企业合并"), "job_runs": _l("定时任务"),
}
VERBS = {
    "create": _l("新建"), "update": _l("修改"), "delete": _l("删除"), "export": _l("导出"), "import": _l("导入"),
    "merge": _l("合并"), "login": _l("登录"), "logout": _l("退出登录"), "login_failed": _l("登录失败"),
    "login_locked": _l("账户锁定"), "password": _l("修改密码"), "revoke": _l("吊销"), "approve": _l("审核通过"),
    "return": _l("审核退回"), "stage": _l("阶段变更"), "stage_undo": _l("撤销阶段变更"), "registration": _l("注册落地"),
    "correct": _l("更正"), "close": _l("办结"), "prune": _l("按保留期清理"), "bulk_signing": _l("批量签约"),
    "status_color": _l("预警颜色"), "preferences": _l("通知偏好"), "clause_update": _l("修改条款"),
    "yearly": _l("年度数据"), "need": _l("项目需求"), "supply": _l("供给"), "status": _l("状态"),
}
# The object an action's first word names (auth.login is about a user).
ACTION_OBJECTS = {"auth": "users", "user": "users", "token": "api_tokens", "project": "projects",
                  "funds": "funds_entries", "problem": "problems", "supervision": "supervisions",
                  "project_task": "project_tasks", "event": "events", "target": "metric_targets", "review": "",
                  "settings": "settings", "audit": "audit_log", "policy": "policy_documents", "carrier": "carriers",
                  "notification": "notification_preferences"}
FIELDS = {
    "role": _l("角色"), "parks": _l("园区"), "name": _l("名称"), "display_name": _l("姓名"), "active": _l("启用"),
    "unit": _l("单位"), "email": _l("电子邮箱"), "username": _l("用户名"), "credit_code": _l("统一社会信用代码"),
    "former_names": _l("曾用名"), "aliases": _l("简称"), "ownership": _l("企业性质"), "industry_id": _l("所属行业"),
    "main_business": _l("主营业务"), "hq_province": _l("总部省份"), "hq_city": _l("总部城市"),
    "registered_capital": _l("注册资本（万元）"), "revenue": _l("营业收入（万元）"), "website": _l("网址"),
    "source": _l("来源"), "officer_id": _l("责任招商专员"), "tags": _l("标签"), "notes": _l("备注"),
    "tiers": _l("榜单"), "stage": _l("阶段"), "amount": _l("金额（万元）"), "project_id": _l("项目"),
    "superseded_by_id": _l("更正为记录"), "status": _l("状态"), "resolution": _l("办理情况"), "done": _l("完成"),
    "value": _l("目标值"), "agreed_investment": _l("协议投资额（万元）"), "park_id": _l("园区"),
    "company_id": _l("企业"), "summary": _l("洽谈内容"), "date": _l("日期"), "kind": _l("方式"),
    "next_follow_up": _l("下次跟进日期"), "next_step": _l("下一步"), "title": _l("名称"), "mobile": _l("手机"),
    "new": _l("新增"), "duplicate": _l("重复"), "refused": _l("拒绝"), "rows": _l("行数"),
    "positioning": _l("产业定位"), "industries": _l("主导产业"), "keywords": _l("关键词"), "position": _l("顺序"),
    "colour": _l("预警颜色"), "review_status": _l("审核状态"),
}
EMPTY, YES, NO = _l("无"), _l("是"), _l("否")


def action_label(action: str) -> str:
    head, _dot, verb = action.rpartition(".")
    if not head:
        return str(VERBS.get(action, action))
    thing = OBJECTS.get(ACTION_OBJECTS.get(head, head), "")
    done = str(VERBS.get(verb, verb))
    return done if head == "auth" or not thing or done.endswith(str(thing)) else f"{done}{thing}"


def object_label(entry, names: dict) -> str:
    if not entry.object_type:
        return "—"
    label = str(OBJECTS.get(entry.object_type, entry.object_type))
    if entry.object_id is None:
        return label
    name = names.get((entry.object_type, entry.object_id))
    return f"{label} #{entry.object_id}" + (f" {name}" if name else "")


def change_lines(changes) -> list[str]:
    """'角色：无 → 管理员' per changed field; counts and plain values as '新增：3'."""
    if not isinstance(changes, dict):
        return []
    lines = []
    for key, value in changes.items():
        label = str(FIELDS.get(key, key))
        if isinstance(value, list) and len(value) == 2 and not _is_plain_list(key, value):
            lines.append(f"{label}：{_shown(key, value[0])} → {_shown(key, value[1])}")
        else:
            lines.append(f"{label}：{_shown(key, value)}")
    return lines


def _is_plain_list(key: str, value: list) -> bool:
    """A list field's value (tags, parks) is not a [before, after] pair."""
    return key in ("tags", "aliases", "former_names", "industries", "keywords") and not any(
        isinstance(v, list) or v is None for v in value)


def _shown(key: str, value) -> str:
    if value is None or value == "" or value == []:
        return str(EMPTY)
    if isinstance(value, bool):
        return str(YES if value else NO)
    if key == "role" and value in ROLE_LABELS:
        return str(ROLE_LABELS[value])
    if key in ("stage",):
        from crm.projects.stages import STAGE_LABELS

        return gettext(STAGE_LABELS.get(value, value))
    if isinstance(value, list):
        return "、".join(_shown(key, v) for v in value)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in "T ":
        try:
            return local_datetime(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def object_names(entries) -> dict[tuple[str, int], str]:
    """The names of the entries' objects, one query per kind of object on the page."""
    from crm.auth.models import User
    from crm.companies.models import Company, Contact, Trip
    from crm.events.models import Event
    from crm.parks.models import Park
    from crm.projects.models import Project

    columns = {"companies": (Company.id, Company.name), "projects": (Project.id, Project.name),
               "users": (User.id, User.display_name, User.username), "events": (Event.id, Event.name),
               "parks": (Park.id, Park.name), "trips": (Trip.id, Trip.title), "contacts": (Contact.id, Contact.name)}
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.object_type in columns and entry.object_id is not None:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    names = {}
    for kind, ids in wanted.items():
        id_column, *name_columns = columns[kind]
        for row in db.session.execute(select(id_column, *name_columns).where(id_column.in_(ids))):
            names[(kind, row[0])] = next((v for v in row[1:] if v), "")
    return names
