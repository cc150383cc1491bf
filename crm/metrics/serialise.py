"""A cohort's figures as the API and `crm metrics --json` give them.

A rate's value is a number in percent with two decimals (33.33), as the provincial reports print them, or
null when the denominator is zero; money (the funds rate's numerator and denominator, the totals) is a
decimal string in 万元, so no amount passes through a binary float."""
from decimal import Decimal

from crm.api.openapi import INTEGER, MONEY, nullable, obj, schema
from crm.core import formatting
from crm.metrics.definitions import RATES


def _money(value) -> str | None:
    return None if value is None else f"{Decimal(value).normalize():f}"


def rate_json(key: str, rate: dict) -> dict:
    numerator, denominator = rate["numerator"], rate["denominator"]
    value = formatting.rate_percent(numerator, denominator)  # the one rounding rule of pages and reports
    if RATES[key].money:
        numerator, denominator = _money(numerator), _money(denominator)
    # "text" is the rate as pages and reports print it ("19.32%", "—"), so a client need not round it again
    return {"numerator": numerator, "denominator": denominator, "value": None if value is None else float(value),
            "text": formatting.rate(value)}


def figures_json(figures: dict) -> dict:
    out = {key: rate_json(key, rate) for key, rate in figures["rates"].items()}
    totals = {k: _money(v) for k, v in figures["totals"].items() if k != "investment_intensity"}
    intensity = figures["totals"].get("investment_intensity")
    totals["investment_intensity"] = None if intensity is None else _money(intensity)
    return {**out, "stages": figures["stages"], "counts": figures["counts"], "totals": totals}


RATE_SCHEMA = obj({"numerator": {"type": ["integer", "string"], "description": "a count, or 万元 as decimal text"},
                   "denominator": {"type": ["integer", "string"]},
                   "value": nullable("number", description="percent with two decimals; null when 0 ÷ 0"),
                   "text": {"type": "string", "description": "as pages print it: 19.32%, or — for 0 ÷ 0"}},
                  ("numerator", "denominator", "value"))
METRICS_SCHEMA = schema("Metrics", obj({
    **{key: RATE_SCHEMA for key in RATES}, "stages": {"type": "object", "additionalProperties": INTEGER},
    "counts": {"type": "object", "additionalProperties": INTEGER},
    "totals": {"type": "object", "additionalProperties": MONEY}, "filters": {"type": "object"}},
    (*RATES, "stages", "counts", "totals")))
