"""The additive counters of a fact, as SQL expressions over its columns (one owner).

The rollups add these up per hour; a filtered report sums the same expressions over the facts,
so both paths count by the same rule.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, case, cast, func

from omnidesk.domains.analytics.models import COUNTERS
from omnidesk.domains.analytics.models import ConversationFact as F


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _value(column: Any) -> ColumnElement[float]:
    return func.coalesce(cast(column, Float), 0.0)


RESOLVED = F.resolved_at.is_not(None)

EXPRESSIONS: dict[str, ColumnElement[Any]] = {
    "conversations": cast(1, Integer),
    "bot_conversations": _flag(F.bot_handled.is_(True)),
    "handoffs": _flag(F.handed_off.is_(True)),
    "self_service_confirmed": _flag(F.self_service == "confirmed"),
    "self_service_assumed": _flag(F.self_service == "assumed"),
    "first_responses": _flag(F.first_response_seconds.is_not(None)),
    "first_response_seconds_sum": _value(F.first_response_seconds),
    "first_response_business_seconds_sum": _value(F.first_response_business_seconds),
    "first_responses_within_target": _flag(F.first_response_within_target.is_(True)),
    "resolved": _flag(RESOLVED),
    "resolution_seconds_sum": _value(F.resolution_seconds),
    "resolution_business_seconds_sum": _value(F.resolution_business_seconds),
    "agent_replies": case((RESOLVED, F.agent_replies), else_=0),
    "reopened": _flag(F.reopened > 0),
    "reopened_resolved": _flag((F.reopened > 0) & RESOLVED),
    "fcr_settled": _flag(F.fcr.is_not(None)),
    "fcr_yes": _flag(F.fcr.is_(True)),
    "sla_settled": _flag(F.sla_met.is_not(None)),
    "sla_met": _flag(F.sla_met.is_(True)),
    "csat_count": _flag(F.csat.is_not(None)),
    "csat_sum": _value(F.csat),
    "csat_satisfied": _flag(F.csat >= 4),
    "nps_count": _flag(F.nps.is_not(None)),
    "nps_promoters": _flag(F.nps >= 9),
    "nps_detractors": _flag(F.nps <= 6),
    "ces_count": _flag(F.ces.is_not(None)),
    "ces_sum": _value(F.ces),
}
assert tuple(EXPRESSIONS) == COUNTERS


def row_counters() -> list[ColumnElement[Any]]:
    """Return each counter of one fact row, labelled by name."""
    return [expr.label(name) for name, expr in EXPRESSIONS.items()]


def summed_counters() -> list[ColumnElement[Any]]:
    """Return each counter summed over the selected facts, labelled by name."""
    return [func.coalesce(func.sum(expr), 0).label(name) for name, expr in EXPRESSIONS.items()]
