"""Notification writes: create once per dedupe key, mark read, and save each user's delivery choices."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from crm.core import audit
from crm.extensions import db
from crm.jobs.dbutil import insert_ignore
from crm.jobs.kinds import DIGESTED, KINDS
from crm.jobs.models import Notification, NotificationPreference


@dataclass(frozen=True)
class Message:
    user_id: int
    kind: str
    title: str
    body: str
    link: str
    dedupe_key: str


def delivery(user_id: int, kind: str) -> tuple[bool, bool]:
    """(in_app, email) for this user and kind: the user's choice, else the kind's default."""
    pref = db.session.get(NotificationPreference, (user_id, kind))
    if pref is not None:
        return pref.in_app, pref.email
    _label, in_app, email = KINDS.get(kind, ("", True, False))
    return in_app, email


def create(message: Message, *, now: datetime) -> bool:
    """Insert the notification unless its dedupe key exists; True when this call created it."""
    in_app, email = delivery(message.user_id, message.kind)
    if not (in_app or email):
        return False
    if message.kind in DIGESTED:  # kept for the daily digest, which the user receives as they chose
        in_app = email = False
    values = {**message.__dict__, "title": message.title[:200], "link": message.link[:255],
              "in_app": in_app, "email": email, "created_at": now}
    return insert_ignore(Notification, values, ["dedupe_key"])


def mark_read(user, notification_id: int, *, now: datetime) -> bool:
    """Mark one of the user's notifications read; False when it is not theirs (the caller answers 404)."""
    note = db.session.scalar(select(Notification).where(Notification.id == notification_id,
                                                        Notification.user_id == user.id))
    if note is None:
        return False
    if note.read_at is None:
        note.read_at = now
    db.session.flush()
    return True


def mark_all_read(user, *, now: datetime) -> int:
    result = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=now))
    return result.rowcount


def save_preferences(user, choices: dict[str, tuple[bool, bool]]) -> None:
    """choices: kind -> (in_app, email). Unknown kinds are ignored."""
    for kind, (in_app, email) in choices.items():
        if kind not in KINDS:
            continue
        pref = db.session.get(NotificationPreference, (user.id, kind))
        if pref is None:
            pref = NotificationPreference(user_id=user.id, kind=kind)
            db.session.add(pref)
        pref.in_app, pref.email = bool(in_app), bool(email)
    audit.record("notification.preferences", actor=user, object_type="users", object_id=user.id,
                 summary="通知偏好", changes={k: list(v) for k, v in choices.items() if k in KINDS})
    db.session.flush()
