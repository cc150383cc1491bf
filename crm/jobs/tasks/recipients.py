"""Who hears about a project: its officer, the staff of its park (and of the parent park), the managers."""
from collections import defaultdict

from sqlalchemy import select

from crm.auth.models import User, user_parks
from crm.core.permissions import Role
from crm.extensions import db
from crm.parks.models import Park


def active_ids(role: str) -> list[int]:
    return list(db.session.scalars(select(User.id).where(User.role == role, User.active.is_(True))
                                   .order_by(User.id)))


def park_staff_by_park() -> dict[int, set[int]]:
    """park id -> ids of active park staff who see it (staff of a key park also see its bases)."""
    rows = db.session.execute(
        select(user_parks.c.park_id, User.id).join(User, User.id == user_parks.c.user_id)
        .where(User.role == Role.park_staff, User.active.is_(True)))
    staff: dict[int, set[int]] = defaultdict(set)
    for park_id, user_id in rows:
        staff[park_id].add(user_id)
    for park_id, parent_id in db.session.execute(select(Park.id, Park.parent_id).where(Park.parent_id.is_not(None))):
        staff[park_id] |= staff.get(parent_id, set())
    return staff


def active_user_ids(ids) -> set[int]:
    ids = {i for i in ids if i}
    if not ids:
        return set()
    return set(db.session.scalars(select(User.id).where(User.id.in_(ids), User.active.is_(True))))
