"""HTML attributes for wtforms, written directly: wtforms writes each attribute through Markup.format, which
parses its template every time (~20 µs an attribute, ~100 µs an input), and a page with a few forms writes
hundreds of them (the project page: five forms, some 30 labels, inputs and selects).

`install()` puts `html_params` in the place of wtforms' own for every widget and label; it writes the same
characters (tests/projects/test_fast_paths.py compares the two, and the forms rendered each way).
"""
import wtforms.widgets
import wtforms.widgets.core
from markupsafe import Markup, escape
from wtforms.widgets.core import clean_key

WTFORMS_HTML_PARAMS = wtforms.widgets.core.html_params  # wtforms' own, which install() replaces


def html_params(**kwargs) -> Markup:
    """wtforms.widgets.html_params, to the character: sorted attributes, True written bare, False left out."""
    params = []
    for key, value in sorted(kwargs.items()):
        if value is True:
            params.append(escape(clean_key(key)))
        elif value is not False:
            value = escape(value)
            if '"' in value:  # only Markup passed in can hold a raw quote: html_params writes it as &quot;
                value = value.replace(Markup('"'), Markup("&quot;"))
            params.append(f'{escape(clean_key(key))}="{value}"')
    return Markup(" ".join(params))  # noqa: S704 (every key and value escaped above)


def install(function=html_params) -> None:
    """Every wtforms widget and label writes its attributes with `function`: the module function the selects,
    text areas and labels call, and the hook the inputs call (wtforms' Input.html_params)."""
    wtforms.widgets.core.html_params = wtforms.widgets.html_params = function
    wtforms.widgets.core.Input.html_params = staticmethod(function)
