"""Templates speak the language of the context they render in: each user's own, and the one force_locale
sets for a message written on someone else's behalf (templates' _() keeps its translations per context)."""
from flask import render_template_string
from flask_babel import force_locale


def test_each_user_reads_the_pages_in_their_own_language(app, seeded, login_as):
    chinese, english = login_as("officer"), login_as("officer")
    english.user.locale = "en"
    seeded.session.commit()
    for client, shown, not_shown in ((chinese, "退出", "Sign out"), (english, "Sign out", "退出"),
                                     (chinese, "退出", "Sign out")):
        with app.app_context():  # each request in a context of its own, as under gunicorn
            html = client.get("/companies/").get_data(as_text=True)
        assert shown in html and not_shown not in html


def test_force_locale_switches_the_templates_language_and_back(app):
    with app.test_request_context("/"):
        template = "{{ _('退出') }}"
        assert render_template_string(template) == "退出"
        with force_locale("en"):
            assert render_template_string(template) == "Sign out"
        assert render_template_string(template) == "退出"
