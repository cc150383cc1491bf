"""The one park-scope rule: park staff see only their parks' records; other roles see all.

Every list, page, API and export of park-bound records narrows its query here, and loads single
objects through `get_visible_or_404`, which answers 404 for what the user may not see.
"""
from flask import abort
from sqlalchemy import Select


def visible_park_ids(user) -> set[int] | None:
    """None means every park; a set (maybe empty) limits the user to those parks."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return user.park_scope()


def may_see_park(user, park_id: int) -> bool:
    """Whether the park's projects are within the user's scope."""
    visible = visible_park_ids(user)
    return visible is None or park_id in visible


def scope_to_parks(query: Select, park_column, user) -> Select:
    park_ids = visible_park_ids(user)
    if park_ids is None:
        return query
    return query.where(park_column.in_(park_ids)) if park_ids else query.where(False)


def get_visible_or_404(session, query: Select):
    """Run an already-scoped query for one object; absent and forbidden look the same (404)."""
    obj = session.execute(query.limit(1)).scalars().first()
    if obj is None:
        abort(404)
    return obj
