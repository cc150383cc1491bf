"""The shortcuts the project pages take for speed write exactly what the slow ways wrote."""
import pytest
from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from wtforms import Form
from wtforms import SelectField as PlainSelectField
from wtforms.widgets import Select

from crm.auth.models import User
from crm.auth.services import create_user
from crm.contacts.forms import LogForm
from crm.core import html
from crm.projects import fields, listing
from crm.projects.forms import FundsForm, ProblemForm, ProjectForm, SupervisionForm, TaskForm
from crm.projects.web import id_url

ATTRIBUTES = [
    {"id": "amount", "type": "text", "value": "", "class_": "form-control", "name": "amount", "required": True,
     "maxlength": 30},
    {"a": 'x"y<&>', "b": Markup('<b class="q">'), "c": 5, "d": None, "e": False, "f": True, "data_x_y": "1",
     "aria_label": "标签&", "for_": "x", "g": _l("园区")},
    {},
]


@pytest.mark.parametrize("attributes", ATTRIBUTES)
def test_html_params_writes_what_wtforms_writes(app, attributes):
    with app.test_request_context("/"):
        assert html.html_params(**attributes) == html.WTFORMS_HTML_PARAMS(**attributes)


def test_selects_write_what_wtforms_writes(app):
    choices = [("", "—"), (1, "南川工业园"), ("2", _l("固定资产投资")), ("<3>", 'a "quoted" <label>'), (True, "是")]

    class Quick(Form):
        pick = fields.SelectField("选择", choices=choices)

    class Plain(Form):
        pick = PlainSelectField("选择", choices=choices)

    with app.test_request_context("/"):
        for chosen in ("", "2", "<3>", "True"):
            quick, plain = Quick(data={"pick": chosen}), Plain(data={"pick": chosen})
            assert quick.pick(class_="form-select") == plain.pick(class_="form-select"), chosen


def test_grouped_and_three_part_choices_write_what_wtforms_writes(app):
    """Choices other than (value, label) pairs go the way wtforms goes."""
    for choices in ({"一组": [(1, "甲"), (2, "乙")], "二组": [(3, "丙")]}, [(1, "甲", {"disabled": True}), (2, "乙")]):

        class Quick(Form):
            pick = fields.SelectField("选择", choices=choices, coerce=int)

        class Plain(Form):
            pick = PlainSelectField("选择", choices=choices, coerce=int)

        with app.test_request_context("/"):
            assert Quick(data={"pick": 2}).pick() == Plain(data={"pick": 2}).pick(), choices


def test_forms_render_as_wtforms_renders_them(app):
    """Every field and label of the project forms and the contact-log form, with the attributes written here
    (crm.core.html, installed by the app) and with wtforms' own; the quick selects beside wtforms' Select."""
    def rendered(plain_selects: bool) -> list:
        found = []
        for form_class in (ProjectForm, FundsForm, ProblemForm, SupervisionForm, TaskForm, LogForm):
            form = form_class()
            for field in form:
                if hasattr(field, "choices") and not field.choices:
                    field.choices = [("1", "一"), ("2", "二")]
                widget = Select() if plain_selects and isinstance(field.widget, fields.QuickSelect) else None
                found.append((form_class.__name__, field.name, field.label(class_="form-label"),
                              widget(field, class_="form-control") if widget else field(class_="form-control")))
        return found

    with app.test_request_context("/"):
        quick = rendered(plain_selects=False)
        try:
            html.install(html.WTFORMS_HTML_PARAMS)
            plain = rendered(plain_selects=True)
        finally:
            html.install()
    assert len(quick) > 30 and quick == plain


def test_id_url_builds_what_url_for_builds(app):
    with app.test_request_context("/"):
        for endpoint, key, values in [("projects.detail", "project_id", {}),
                                      ("projects.transition", "project_id", {"to": "signed", "next": "/board?a=1"}),
                                      ("projects.ledger.funds_attachment", "entry_id", {})]:
            build = id_url(endpoint, key, **values)
            for i in (1, 7, 987, 20000, 98765432):
                assert build(i) == url_for(endpoint, **{key: i}, **values)


def test_user_name_in_sql_is_user_name(app, db):
    for username, display in (("no_display", ""), ("with_display", "张专员")):
        user = create_user(username, "Passw0rd!Passw0rd", "officer")
        user.display_name = display
    db.session.commit()
    for user in db.session.scalars(select(User)):
        assert db.session.scalar(select(listing.user_name(User)).where(User.id == user.id)) == user.name
