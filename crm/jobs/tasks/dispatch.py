"""E-mail delivery of notifications whose users chose e-mail for that kind, when SMTP is configured."""
import smtplib
from datetime import date, datetime
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select, update

from crm.auth.models import User
from crm.extensions import db
from crm.jobs.models import Notification
from crm.jobs.tasks import Skipped

MAX_ATTEMPTS = 5
BATCH = 200


def _pending() -> list[tuple[int, str, str, str, str]]:
    query = (select(Notification.id, User.email, Notification.title, Notification.body, Notification.link)
             .join(User, User.id == Notification.user_id)
             .where(Notification.email.is_(True), Notification.emailed_at.is_(None),
                    Notification.email_attempts < MAX_ATTEMPTS, User.email != "", User.active.is_(True))
             .order_by(Notification.id).limit(BATCH))
    return [tuple(row) for row in db.session.execute(query)]


def _claim(notification_id: int, now: datetime) -> bool:
    """Mark as sent before sending, committed: a second dispatcher never sends the same message again."""
    result = db.session.execute(
        update(Notification).where(Notification.id == notification_id, Notification.emailed_at.is_(None))
        .values(emailed_at=now, email_attempts=Notification.email_attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def _unclaim(notification_id: int, error: str) -> None:
    db.session.execute(update(Notification).where(Notification.id == notification_id)
                       .values(emailed_at=None, email_error=error[:2000])
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _message(address: str, title: str, body: str, link: str) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = title
    message["From"] = config["SMTP_SENDER"]
    message["To"] = address
    url = (config.get("BASE_URL") or "").rstrip("/") + link if link else ""
    message.set_content("\n\n".join(part for part in (body, url) if part))
    return message


def dispatch(*, today: date, now: datetime) -> int:
    """Sends each pending e-mail once; a failed send is retried next minute, up to MAX_ATTEMPTS times.

    This job commits per message (unlike the others) because sending is a side effect outside the
    database: the claim must be durable before the message leaves.
    """
    config = current_app.config
    if not config.get("SMTP_HOST"):
        raise Skipped("SMTP not configured")
    pending = _pending()
    if not pending:
        return 0
    sent, errors = 0, []
    with smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25), timeout=20) as smtp:
        for notification_id, address, title, body, link in pending:
            if not _claim(notification_id, now):
                continue
            try:
                smtp.send_message(_message(address, title, body, link))
            except (smtplib.SMTPException, OSError) as error:
                _unclaim(notification_id, str(error))
                errors.append(f"#{notification_id}: {error}")
                continue
            sent += 1
    if errors:
        raise RuntimeError(f"sent {sent}; failed {len(errors)}: " + "; ".join(errors[:5]))
    return sent
