"""Rule conditions over the facts of one event: pure functions, no database.

`Facts` holds what the runner gathered for the event (its payload, its conversation's current
state, the customer's tier, segments and attributes, whether the calendar is open); a condition
that needs a fact nobody gathered does not hold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from omnidesk.domains.automation.schemas import Condition


@dataclass
class Facts:
    """What conditions test, for one event."""

    values: dict[str, Any] = field(default_factory=dict)  # inbox, channel, language, intent, …
    labels: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    open_now: bool | None = None
    last_reply_at: dt.datetime | None = None
    last_customer_message_at: dt.datetime | None = None
    now: dt.datetime | None = None


def failed(conditions: list[Condition], facts: Facts) -> list[str]:
    """Return a description of each condition that does not hold (empty: the rule matches)."""
    return [describe(c) for c in conditions if not holds(c, facts)]


def describe(condition: Condition) -> str:
    """Return a short readable form of a condition, e.g. `channel in sms, email`."""
    value = condition.value
    shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    name = f"attribute {condition.key}" if condition.field == "attribute" else condition.field
    return f"{name} {condition.op} {shown}"


def holds(condition: Condition, facts: Facts) -> bool:
    """Tell whether one condition holds for the facts."""
    f, op, value = condition.field, condition.op, condition.value
    if f == "text":
        text = facts.text.casefold()
        found = any(str(v).casefold() in text for v in _listed(value))
        return found if op == "contains" else not found
    if f == "business_hours":
        return facts.open_now is not None and facts.open_now == value
    if f == "attribute":
        return _attribute(op, facts.attributes, condition.key or "", value)
    if f == "score":
        score = facts.values.get("score")
        if not isinstance(score, int | float):
            return False
        return score >= float(value) if op == "gte" else score <= float(value)  # type: ignore[arg-type]
    if f.startswith("minutes_since"):
        return _minutes(facts, f, op, float(value))  # type: ignore[arg-type]
    have = _have(f, facts)
    found = bool(have & {str(v) for v in _listed(value)})
    return found if op == "in" else not found


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _have(field_name: str, facts: Facts) -> set[str]:
    if field_name == "label":
        return set(facts.labels)
    if field_name == "segment":
        return set(facts.segments)
    value = facts.values.get(field_name)
    return set() if value is None else {str(value)}


def _attribute(op: str, attributes: dict[str, Any], key: str, value: Any) -> bool:
    if op == "exists":
        return attributes.get(key) not in (None, "")
    have = attributes.get(key)
    if have is None:
        return op == "neq"
    if op in {"gt", "lt"}:
        try:
            left, right = float(have), float(value)
        except (TypeError, ValueError):
            return False
        return left > right if op == "gt" else left < right
    if op == "contains":
        return str(value).casefold() in str(have).casefold()
    same = str(have).casefold() == str(value).casefold()
    return same if op == "eq" else not same


def _minutes(facts: Facts, field_name: str, op: str, minutes: float) -> bool:
    since = facts.last_reply_at if field_name == "minutes_since_last_reply" \
        else facts.last_customer_message_at
    if since is None or facts.now is None:
        return False
    elapsed = (facts.now - since).total_seconds() / 60
    return elapsed >= minutes if op == "gte" else elapsed <= minutes
