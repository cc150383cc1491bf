"""Today as the users see it (Asia/Shanghai), so date fields agree with the server's idea of today."""
from datetime import date, datetime
from zoneinfo import ZoneInfo


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def early_this_year() -> date:
    """A date in this year, no later than today, for facts that must not lie in the future."""
    now = today()
    return date(now.year, 1, 2) if now >= date(now.year, 1, 2) else now
