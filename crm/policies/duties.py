"""Clauses' duties (deadlines, yearly or monthly tasks) as occurrences due around a day. Pure: data in and out.

A duty is data on its clause: {"title", "every": "year" | "month" | "once", "remind": "12-01" | "15" |
"2026-03-31", "unit": "province" | "park:CODE", "lead_days": 14}. It is reminded from lead_days before
its date up to the date itself, so a scheduler that missed a day still reminds it; the caller makes sure
each occurrence is reminded once.
"""
from dataclasses import dataclass
from datetime import date, timedelta

LEAD_DAYS = 14


@dataclass(frozen=True)
class Occurrence:
    index: int  # the duty's place in its clause's list
    due_on: date
    title: str
    unit: str


def _due(duty: dict, today: date) -> date | None:
    every, remind = duty.get("every"), str(duty.get("remind") or duty.get("due") or "")
    try:
        if every == "once":
            return date.fromisoformat(remind)
        if every == "year":
            month, day = (int(p) for p in remind.split("-"))
            due = date(today.year, month, day)
            return due if due >= today else date(today.year + 1, month, day)
        if every == "month":
            day = int(remind)
            due = date(today.year, today.month, day)
            if due < today:
                due = date(today.year + (today.month == 12), today.month % 12 + 1, day)
            return due
    except ValueError:
        return None  # a duty with a date that is no date is shown on its clause, never reminded
    return None


def due_soon(duties: list[dict], today: date) -> list[Occurrence]:
    """The clause's duties whose date falls within their lead time from today (today included)."""
    found = []
    for index, duty in enumerate(duties or []):
        due = _due(duty, today)
        lead = int(duty.get("lead_days", LEAD_DAYS))
        if due is not None and today <= due <= today + timedelta(days=lead):
            found.append(Occurrence(index, due, str(duty.get("title") or ""), str(duty.get("unit") or "province")))
    return found
