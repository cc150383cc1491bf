"""Templates speak the language of the context they render in: each user's own, and the one force_locale
sets for a message written on someone else's behalf (templates' _() keeps its translations per context); and
every message marked for translation has its English."""
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale

# (role, page, a word on it in Chinese, the same in English). The board's stage names are translated once per
# language and kept (projects/pages.translated): each user must still get their own.
PAGES_IN_BOTH = [("officer", "/companies/", "退出", "Sign out"), ("manager", "/projects/board", "在谈", "Negotiating")]


@pytest.mark.parametrize(("role", "path", "chinese_word", "english_word"), PAGES_IN_BOTH,
                         ids=[page[1] for page in PAGES_IN_BOTH])
def test_each_user_reads_the_pages_in_their_own_language(app, seeded, login_as, role, path, chinese_word,
                                                         english_word):
    chinese, english = login_as(role), login_as(role)
    english.user.locale = "en"
    seeded.session.commit()
    for client, shown, not_shown in ((chinese, chinese_word, english_word), (english, english_word, chinese_word),
                                     (chinese, chinese_word, english_word)):
        with app.app_context():  # each request in a context of its own, as under gunicorn
            html = client.get(path).get_data(as_text=True)
        assert shown in html and not_shown not in html


def test_force_locale_switches_the_templates_language_and_back(app):
    with app.test_request_context("/"):
        template = "{{ _('退出') }}"
        assert render_template_string(template) == "退出"
        with force_locale("en"):
            assert render_template_string(template) == "Sign out"
        assert render_template_string(template) == "退出"


def test_every_message_of_the_code_and_templates_has_an_english_translation():
    """A string marked for translation but missing from the catalogue shows in Chinese to an English reader."""
    root = Path(__file__).resolve().parents[2]
    method_map = [("crm/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = {(message, context) for _file, _line, message, _comments, context
             in extract_from_dir(str(root), method_map, keywords=keywords,
                                 directory_filter=lambda path: ".venv" not in path and "node_modules" not in path)}
    with (root / "crm/translations/en/LC_MESSAGES/messages.po").open("rb") as po:
        catalogue = read_po(po)
    missing = []
    for message, context in found:
        msgid = message if isinstance(message, str) else message[0]
        entry = catalogue.get(msgid, context=context)
        if entry is None or not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            missing.append(msgid)
    assert not missing, "\n".join(sorted(missing))
