"""Account verbs: create users, sign in with lockout, end sessions, issue and check API tokens."""
import hashlib
import secrets
import string
from datetime import datetime, timedelta
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import contains_eager
from werkzeug.security import check_password_hash, generate_password_hash

from crm.auth import passwords
from crm.auth.models import ApiToken, LoginFailure, User, new_session_token
from crm.core import audit, prefetch
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.permissions import ROLE_LABELS, Role
from crm.extensions import db
from crm.parks.models import Park

MAX_FAILURES = 5
LOCK_MINUTES = 15
IP_MAX_FAILURES = 30  # per IP and 15 minutes: slows guessing across many accounts
TOKEN_PREFIX = "crm_"  # noqa: S105 - a visible prefix, not a secret


def create_user(username: str, password: str, role: str, *, park_codes=(), display_name: str = "",
                actor=None, check_password: bool = True) -> User:
    username = username.strip()
    if not username or len(username) > 80:
        raise ServiceError(_("用户名不能为空，且不超过 80 个字符。"), {"username": _("用户名无效")})
    if role not in set(Role):
        raise ServiceError(_("未知角色：%(role)s", role=role), {"role": _("未知角色")})
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise ServiceError(_("用户名已存在。"), {"username": _("用户名已存在")}, status=409, code="duplicate")
    if check_password and (issues := passwords.problems(password, username)):
        raise ServiceError(" ".join(issues), {"password": " ".join(issues)})
    user = User(username=username, role=role, display_name=display_name or username,
                password_hash=generate_password_hash(password))
    user.parks = parks_by_codes(park_codes)
    if role == Role.park_staff and not user.parks:
        raise ServiceError(_("园区人员必须绑定至少一个园区。"), {"parks": _("请选择园区")})
    db.session.add(user)
    audit.record("user.create", user, actor=actor, summary=f"{username}（{ROLE_LABELS.get(role, role)}）",
                 changes={"role": [None, role], "parks": [None, [p.code for p in user.parks]]})
    return user


def parks_by_codes(codes) -> list[Park]:
    codes = [c.strip() for c in codes if c and c.strip()]
    if not codes:
        return []
    parks = db.session.scalars(select(Park).where(Park.code.in_(codes))).all()
    missing = set(codes) - {p.code for p in parks}
    if missing:
        raise ServiceError(_("未知园区代码：%(codes)s", codes=", ".join(sorted(missing))), {"parks": _("未知园区")})
    return list(parks)


def set_password(user: User, password: str, *, now: datetime, actor=None, force_change: bool = False) -> None:
    if issues := passwords.problems(password, user.username):
        raise ServiceError(" ".join(issues), {"password": " ".join(issues)})
    user.password_hash = generate_password_hash(password)
    user.password_changed_at = now
    user.must_change_password = force_change
    end_sessions(user)
    audit.record("user.password", user, actor=actor or user, summary=user.username)


def end_sessions(user: User) -> None:
    """Every cookie issued before this point stops working, on every worker."""
    user.session_token = new_session_token()


def random_password(length: int = 16) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^*-_"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if not passwords.problems(candidate):
            return candidate


def authenticate(username: str, password: str, *, ip: str, now: datetime) -> tuple[User | None, str]:
    """Check a sign-in; returns the user, or None with the message to show. Records the outcome."""
    since = now - timedelta(minutes=LOCK_MINUTES)
    ip_failures = db.session.scalar(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.ip == ip, LoginFailure.at >= since))
    if ip_failures >= IP_MAX_FAILURES:
        return None, _("该地址登录失败次数过多，请 %(m)s 分钟后再试。", m=LOCK_MINUTES)
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user and user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        audit.record("auth.login_locked", user, actor=user, summary=username)
        return None, _("账户已锁定：连续 %(n)s 次登录失败，请 %(m)s 分钟后再试。", n=MAX_FAILURES, m=minutes)
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        return None, _register_failure(user, username, ip, now)
    user.failed_logins = 0
    user.locked_until = None
    user.previous_login_at, user.previous_login_ip = user.last_login_at, user.last_login_ip
    user.last_login_at, user.last_login_ip = now, ip
    audit.record("auth.login", user, actor=user, summary=username)
    return user, ""


def _register_failure(user: User | None, username: str, ip: str, now: datetime) -> str:
    db.session.add(LoginFailure(ip=ip, username=username[:80], at=now))
    audit.record("auth.login_failed", user, actor=user, summary=username[:80], object_type="users")
    if user is None or not user.active:
        return _("用户名或密码错误。")
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILURES:
        user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        user.failed_logins = 0
        return _("账户已锁定：连续 %(n)s 次登录失败，请 %(m)s 分钟后再试。", n=MAX_FAILURES, m=LOCK_MINUTES)
    return _("用户名或密码错误。还可尝试 %(n)s 次。", n=MAX_FAILURES - user.failed_logins)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


TOKEN_DAYS = 180  # a token's default lifetime
TOKEN_ACCESS = ("read", "write")


def create_token(user: User, name: str, *, actor=None, access: str = "write", resources=(),
                 days: int | None = TOKEN_DAYS, now: datetime | None = None) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is shown once and never stored. `access` "read" allows
    reads alone; `resources` limits the token to those /api/v1 resources (none: all); it expires after `days`."""
    errors = {}
    if access not in TOKEN_ACCESS:
        errors["access"] = _("应为 read 或 write")
    if days is not None and not (isinstance(days, int) and 1 <= days <= 3650):
        errors["days"] = _("有效期应为 1–3650 天")
    resources = sorted({str(r).strip().lower() for r in resources if str(r).strip()})
    if any(not r.replace("-", "").replace("_", "").isalnum() for r in resources):
        errors["resources"] = _("资源名称无效")
    if errors:
        raise ServiceError(_("请更正标出的字段。"), errors, status=422)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = now or utcnow()
    token = ApiToken(user=user, name=name.strip()[:80], prefix=raw[:12], token_hash=_hash_token(raw), access=access,
                     resources=",".join(resources)[:500], created_at=now,
                     expires_at=now + timedelta(days=days) if days else None)
    db.session.add(token)
    audit.record("token.create", token, actor=actor or user, summary=f"{user.username}: {token.name}",
                 changes={"access": access, "resources": resources, "expires_at": token.expires_at})
    return token, raw


def valid_token(raw: str, *, now: datetime) -> ApiToken | None:
    """The token (its user loaded, in one statement) unless revoked, expired or of a disabled user; its last
    use is updated at most every five minutes, so that reads do not write on every request: the caller
    commits when the session is dirty."""
    found = db.session.execute(_token_with_user(db.session.get_bind().dialect.name),
                               {"token_hash": _hash_token(raw)}).first()
    token = found[0] if found else None
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    prefetch.remember(found[1:])  # what every request reads came along (crm.core.prefetch)
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now
    return token


def user_for_token(raw: str, *, now: datetime) -> User | None:
    token = valid_token(raw, now=now)
    return None if token is None else token.user


@cache
def _token_with_user(dialect: str):
    """The token, its user and what every request reads (crm.core.prefetch), in one statement built once."""
    return (select(ApiToken, *prefetch.columns(dialect)).join(ApiToken.user).options(contains_eager(ApiToken.user))
            .where(ApiToken.token_hash == bindparam("token_hash")))


def revoke_token(token: ApiToken, *, now: datetime, actor) -> None:
    token.revoked_at = now
    audit.record("token.revoke", token, actor=actor, summary=token.name)


def update_user(user: User, *, role: str, park_codes, active: bool, display_name: str, unit: str,
                email: str, actor) -> None:
    if role not in set(Role):
        raise ServiceError(_("未知角色：%(role)s", role=role), {"role": _("未知角色")})
    before = {"role": user.role, "parks": [p.code for p in user.parks], "active": user.active}
    user.role, user.active = role, active
    user.display_name, user.unit, user.email = display_name, unit, email
    user.parks = parks_by_codes(park_codes)
    if role == Role.park_staff and not user.parks:
        raise ServiceError(_("园区人员必须绑定至少一个园区。"), {"parks": _("请选择园区")})
    after = {"role": user.role, "parks": [p.code for p in user.parks], "active": user.active}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes.get("role") or changes.get("parks") or not active:
        end_sessions(user)  # a narrowed or disabled account must not keep its old sessions
    audit.record("user.update", user, actor=actor, summary=user.username, changes=changes)
