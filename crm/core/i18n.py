"""Locale and time zone for Flask-Babel: Chinese unless the user chose English."""
from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user

from crm.config import TIMEZONE

_KEPT = "crm_translations"  # g's attribute: (locale, translations) of this context


def select_locale() -> str:
    if not has_request_context():  # CLI and jobs speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale:
        return current_user.locale
    chosen = session.get("locale") or request.args.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return TIMEZONE


def _translations():
    """This context's translations, kept beside the locale Flask-Babel chose for it: Flask-Babel looks them up
    anew for each message (context, locale, its name as a string, a cache), and a page shows dozens."""
    kept = getattr(g, _KEPT, None)
    locale = getattr(getattr(g, "_flask_babel", None), "babel_locale", None)  # force_locale replaces it
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    setattr(g, _KEPT, (get_locale(), translations))
    return translations


def install_template_gettext(app) -> None:
    """Templates' _() and ngettext() through _translations (after Flask-Babel installed its own)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True)
