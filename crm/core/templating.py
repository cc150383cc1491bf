"""Globals every template can use: the navigation and role checks."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from crm.core.permissions import ROLE_LABELS, Role, has_role

# (endpoint, label, roles allowed or None for every signed-in user)
NAVIGATION = [
    ("home.index", _l("首页"), None),
    ("companies.index", _l("目标企业"), None),
    ("projects.index", _l("招商项目"), None),
    ("events.index", _l("展会活动"), None),
    ("parks.index", _l("园区与产业链"), None),
    ("policies.index", _l("政策库"), None),
    ("land.index", _l("土地与载体"), None),
    ("metrics.dashboard", _l("统计分析"), (Role.manager, Role.officer, Role.park_staff)),
    ("admin.audit_log", _l("审计日志"), (Role.admin,)),
]


def register_globals(app: Flask) -> None:
    app.jinja_env.globals.update(NAVIGATION=NAVIGATION, has_role=has_role, Role=Role, ROLE_LABELS=ROLE_LABELS)
