"""Message ids that `pybabel extract` cannot find on its own; this file is read by extraction only, never imported.

babel.cfg maps crm/**.py, so the marked strings below land in messages.pot and survive `pybabel update`.

1. Labels kept as plain strings in Python and translated in templates with a variable, e.g.
   `{{ _(stages[p.stage]) }}`: crm/projects/stages.py STAGE_LABELS and crm/projects/pages.py FACT_LABELS.
   If those dicts are ever wrapped in _l() at the source, the entries here can go.
2. Strings marked inside f-strings, which the extractor cannot see on Python 3.11: crm/metrics/dashboard.py
   (the numerator/denominator suffix of a drill-down title).
3. Strings in templates/_macros/ and templates/_partials/: pybabel skips directories whose name starts
   with "_" unless run with e.g. --ignore-dirs ".* __pycache__ node_modules". Keep these in step with
   the templates.
"""
from flask_babel import lazy_gettext as _l

STAGE_LABELS = (_l("线索"), _l("在谈"), _l("签约"), _l("前期"), _l("开工"), _l("投产"), _l("终止"))

FACT_LABELS = (
    _l("在谈日期"), _l("签约日期"), _l("签约投资额（万元）"), _l("前期工作开始日期"), _l("实际开工日期"),
    _l("投产日期"), _l("终止日期"), _l("终止原因"), _l("签约展会活动"), _l("注册落地日期"),
    _l("本地公司统一社会信用代码"),
)

# crm/metrics/dashboard.py: f"{label} · {_('分子') if part == 'numerator' else _('分母')}"
INSIDE_F_STRINGS = (_l("分子"), _l("分母"))

# templates/_macros/forms.html (pagination) and templates/_partials/nav_extra.html (notification bell)
UNDERSCORE_TEMPLATE_DIRS = (
    _l("分页"), _l("上一页"), _l("下一页"), _l("第 %(p)s 页"), _l("共 %(n)s 条"),
    _l("通知"), _l("通知：%(n)s 条未读"),
)
