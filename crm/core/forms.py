"""Bad input shown on the form itself: a service's field errors beside their fields, the rest above the form."""
from flask import request


def show_errors(form, error, aliases: dict[str, str] | None = None) -> None:
    """Put `error.fields` (a ServiceError's) on the form's fields; its message goes on top of the form."""
    aliases = aliases or {}
    if error.message not in form.form_errors:
        form.form_errors.append(error.message)
    for name, message in (error.fields or {}).items():
        target = getattr(form, aliases.get(name, name), None)
        if target is not None and hasattr(target, "errors"):
            target.errors = [*list(target.errors or []), message]


def status_of(form) -> int:
    """422 for a posted form that carries errors (it is shown again with them), else 200."""
    has_errors = bool(form.errors) or bool(form.form_errors)
    return 422 if request.method == "POST" and has_errors else 200
