"""Locale and time zone for Flask-Babel: Chinese unless the user chose English."""
from flask import current_app, has_request_context, request, session
from flask_login import current_user

from crm.config import TIMEZONE


def select_locale() -> str:
    if not has_request_context():  # CLI and jobs speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale:
        return current_user.locale
    chosen = session.get("locale") or request.args.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return TIMEZONE
