"""Send the webhook deliveries that are due (crm.api.webhooks), every minute."""
from datetime import date, datetime

from crm.api.webhooks import deliver_due


def webhook_deliveries(*, today: date, now: datetime) -> int:
    return deliver_due(now=now)
