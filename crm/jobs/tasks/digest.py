"""Each user's daily digest: one notification (in the app and, if they chose, by e-mail) listing the warnings and
stale targets recorded since their previous digest, instead of one notification each."""
from collections import defaultdict
from datetime import UTC, date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.auth.models import User
from crm.extensions import db
from crm.jobs import notify
from crm.jobs.kinds import DAILY_DIGEST, DIGESTED, label
from crm.jobs.models import Notification

LINES_PER_KIND = 10  # the digest names the first ten of a kind and counts the rest


def _since_last_digest() -> dict[int, datetime]:
    """user id -> when their latest digest was made."""
    rows = db.session.execute(select(Notification.user_id, func.max(Notification.created_at))
                              .where(Notification.kind == DAILY_DIGEST).group_by(Notification.user_id))
    return dict(rows.all())


def _recorded(until: datetime) -> dict[int, list[Notification]]:
    """user id -> digested rows recorded up to `until`, oldest first (each user's own cut-off is applied later)."""
    query = (select(Notification).where(Notification.kind.in_(DIGESTED), Notification.in_app.is_(False),
                                        Notification.email.is_(False), Notification.created_at <= until)
             .order_by(Notification.user_id, Notification.created_at, Notification.id))
    found: dict[int, list[Notification]] = defaultdict(list)
    for row in db.session.scalars(query):
        found[row.user_id].append(row)
    return found


def _as_utc(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive UTC times; PostgreSQL aware ones."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _body(rows: list[Notification]) -> str:
    by_kind: dict[str, list[Notification]] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row)
    parts = []
    for kind, items in by_kind.items():
        lines = [f"· {row.title}" for row in items[:LINES_PER_KIND]]
        if len(items) > LINES_PER_KIND:
            lines.append(_("…另有 %(n)s 项", n=len(items) - LINES_PER_KIND))
        parts.append(f"{label(kind)}（{len(items)}）\n" + "\n".join(lines))
    return "\n\n".join(parts)


def daily_digest(*, today: date, now: datetime) -> int:
    """One digest per user with something new since their last one; run twice on a day, it writes once."""
    last = {user_id: _as_utc(at) for user_id, at in _since_last_digest().items()}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.active.is_(True)))}
    created = 0
    for user_id, rows in _recorded(now).items():
        user = users.get(user_id)
        if user is None:
            continue
        cut = last.get(user_id)
        fresh = [r for r in rows if cut is None or _as_utc(r.created_at) > cut]
        if not fresh:
            continue
        with force_locale("en" if user.locale == "en" else "zh_CN"):
            title = _("每日摘要 %(day)s：%(n)s 项预警与提醒", day=today.isoformat(), n=len(fresh))
            body = _body(fresh)
        created += notify.create(notify.Message(user_id, DAILY_DIGEST, title, body, "/home",
                                                f"daily_digest:{today.isoformat()}:user:{user_id}"), now=now)
    return created
