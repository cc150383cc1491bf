"""The select the project forms use, writing the same HTML as wtforms' own in a fraction of the time: the
supervision form offers every user, and wtforms turns each choice into two objects, twice per rendering.
Attributes are written by crm.core.html, as for every form.
"""
from markupsafe import Markup, escape
from wtforms import SelectField as _SelectField
from wtforms.fields.choices import Choice
from wtforms.widgets import Select


class QuickSelect(Select):
    """wtforms' Select writing plain options itself (the supervision form offers every user)."""

    @classmethod
    def _dispatch_render_option(cls):
        return cls.render_option  # wtforms inspects the method's signature on every select to choose this

    @classmethod
    def render_option(cls, choice, **kwargs):
        value = choice.value
        if kwargs or choice.render_kw or isinstance(value, bool | Markup):
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""  # html_params' order: "selected" before "value"
        return Markup(f'<option {selected}value="{escape(value)}">{escape(choice.label or value)}</option>')  # noqa: S704


class SelectField(_SelectField):
    """wtforms' SelectField reading choices given as (value, label) pairs directly: wtforms turns every choice
    into two objects, twice per rendering (once to look for option groups, which pairs never have)."""

    widget = QuickSelect()

    def has_groups(self):
        return not _pairs(self.choices) and super().has_groups()

    def iter_choices(self):
        choices = self.choices
        if not _pairs(choices):
            return super().iter_choices()
        return [Choice(value, value if label is None else label, self.coerce(value) == self.data, {})
                for value, label in choices]


def _pairs(choices) -> bool:
    return isinstance(choices, list) and all(type(c) is tuple and len(c) == 2 for c in choices)
