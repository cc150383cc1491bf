"""Display rules: money in 万元 with two decimals, times in Asia/Shanghai, rates with two decimals and "—" for 0/0."""
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from crm.config import TIMEZONE

LOCAL_ZONE = ZoneInfo(TIMEZONE)
DASH = "—"
RATE_PLACES = 2  # provincial reports print rates as 19.32%, 98.57%
RATE_QUANTUM = Decimal(1).scaleb(-RATE_PLACES)


def local_today(now: datetime) -> date:
    return now.astimezone(LOCAL_ZONE).date()


def money(value: Decimal | int | float | None, places: int = 2) -> str:
    if value is None:
        return DASH
    quantum = Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):,}"


def money_unit(value: Decimal | int | float | None, unit: str, places: int = 2) -> str:
    """An amount followed by its unit (passed in translated), or a bare dash when there is none: "— 万元" misleads."""
    return DASH if value is None else f"{money(value, places)} {unit}"


def parse_money(text: str | Decimal | int | None) -> Decimal | None:
    """Parse an amount in 万元; commas and surrounding spaces allowed. Raises ValueError on nonsense."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if isinstance(text, bool):
        raise ValueError("not an amount")
    try:
        value = Decimal(str(text).replace(",", "").replace("，", "").strip())
    except InvalidOperation as exc:
        raise ValueError("not an amount") from exc
    if not value.is_finite() or abs(value) >= Decimal("1e13"):
        raise ValueError("amount out of range")
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def local_datetime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return DASH if value is None else value.astimezone(LOCAL_ZONE).strftime(fmt)


def rate_percent(numerator, denominator) -> Decimal | None:
    """numerator ÷ denominator in percent, rounded half up to two places; None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


def percent(numerator, denominator) -> str:
    """A ratio printed as a rate ("19.32%"), or the dash."""
    return rate(rate_percent(numerator, denominator))


def rate(value: Decimal | float | None) -> str:
    """A rate already in percent printed with two decimals ("12.30%"); the dash when there is nothing to divide by."""
    if value is None:
        return DASH
    return f"{Decimal(str(value)).quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)}%"


def register_filters(app) -> None:
    app.jinja_env.filters.update(money=money, money_unit=money_unit, localtime=local_datetime, percent=percent,
                                 rate=rate)
