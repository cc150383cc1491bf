"""Role checks as decorators: HTML gets a redirect to sign-in or 403, the API gets JSON errors."""
from enum import StrEnum
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user


class Role(StrEnum):
    admin = "admin"
    manager = "manager"
    officer = "officer"
    park_staff = "park_staff"


ROLE_LABELS = {Role.admin: _l("管理员"), Role.manager: _l("领导"), Role.officer: _l("招商专员"),
               Role.park_staff: _l("园区人员")}


def has_role(user, *roles: Role | str) -> bool:
    """Admins may do what managers may; `roles` lists who else may."""
    if not getattr(user, "is_authenticated", False):
        return False
    allowed = {str(r) for r in roles}
    if Role.manager in allowed:
        allowed.add(Role.admin)
    return user.role in allowed


def roles_required(*roles: Role | str):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401)
            if not has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_roles = tuple(str(r) for r in roles)
        return wrapper

    return decorator
