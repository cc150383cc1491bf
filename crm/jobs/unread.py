"""The bell's unread count, read once per request: the sign-in loader reads it with the user
(auth/loaders.py) and every page's bell (jobs/views.py) uses what it read."""
from flask import g, request


def remember_unread(count: int) -> int:
    """The signed-in user's unread count for this request. Keyed by the request: tests reuse one app context,
    and so `g`, across requests."""
    g.unread_notifications = (id(request._get_current_object()), count)
    return count


def unread_known() -> int | None:
    cached = g.get("unread_notifications")
    return cached[1] if cached is not None and cached[0] == id(request._get_current_object()) else None
