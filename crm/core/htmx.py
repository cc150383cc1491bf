"""Render a whole page or just its fragment, from one call, depending on the HX-Request header."""
from flask import make_response, redirect, render_template, request


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def render(page: str, fragment: str | None = None, /, status: int = 200, **context):
    """A fragment template starts with `_` and is included by its page, so both share markup.

    `page` and `fragment` are positional-only so that a context variable may be called `page`."""
    template = fragment if fragment and is_htmx() and not request.headers.get("HX-Boosted") else page
    response = make_response(render_template(template, **context), status)
    response.headers["Vary"] = "HX-Request"
    return response


def redirect_to(url: str):
    """htmx follows HX-Redirect; a plain 302 would be swapped into the target instead."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)
