"""The additive counters of a fact, as SQL expressions over its columns (one owner).

The rollups add these up per hour; a filtered report sums the same expressions over the facts,
so both paths count by the same rule.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, TextClause, case, cast, func, select, text
from sqlalchemy.engine import Dialect

from omnidesk.domains.analytics.models import (
    COUNTERS,
    DAILY_COUNTERS,
    HISTOGRAM_BUCKETS,
    HISTOGRAM_RATIO,
    HISTOGRAMS,
)
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

# The bot answered but did not help: handed to people, or the customer came back unconfirmed.
UNHELPFUL = F.handed_off.is_(True) | (F.bot_handled.is_(True) & F.self_service.is_(None)
                                      & F.recontact_at.is_not(None))


def bucket_bounds(index: int) -> tuple[float, float]:
    """Return the seconds a histogram bucket holds: [low, high) (the last one is open)."""
    if index == 0:
        return 0.0, 1.0
    high = HISTOGRAM_RATIO ** index if index < HISTOGRAM_BUCKETS - 1 else float("inf")
    return HISTOGRAM_RATIO ** (index - 1), high


def _in_bucket(column: Any, index: int) -> ColumnElement[int]:
    low, high = bucket_bounds(index)
    condition = column >= low if index else column.is_not(None)
    return _flag(condition & (column < high) if high != float("inf") else condition)


LOCAL_HOUR = F.hour_of_week % 24  # the local hour of creation; the row's day gives the weekday

DAILY_EXPRESSIONS: dict[str, ColumnElement[Any]] = {
    **EXPRESSIONS,
    "bot_unhelpful": _flag(UNHELPFUL),
    **{f"{kind}_{score}": _flag(column == score)
       for kind, column, low, high in (("csat", F.csat, 1, 5), ("nps", F.nps, 0, 10),
                                       ("ces", F.ces, 1, 7))
       for score in range(low, high + 1)},
    **{f"{prefix}_h{index}": _in_bucket(getattr(F, name), index)
       for prefix, name in HISTOGRAMS.items() for index in range(HISTOGRAM_BUCKETS)},
    **{f"hour{hour}_{name}": case((LOCAL_HOUR == hour, EXPRESSIONS[name]), else_=0)
       for hour in range(24) for name in ("conversations", "first_responses",
                                          "first_response_seconds_sum")},
}
assert tuple(DAILY_EXPRESSIONS) == DAILY_COUNTERS


def row_counters(daily: bool = False) -> list[ColumnElement[Any]]:
    """Return each counter of one fact row (the daily rollups' superset), labelled by name."""
    chosen = DAILY_EXPRESSIONS if daily else EXPRESSIONS
    return [expr.label(name) for name, expr in chosen.items()]


def summed_counters(daily: bool = False) -> list[ColumnElement[Any]]:
    """Return each counter summed over the selected facts, labelled by name."""
    chosen = DAILY_EXPRESSIONS if daily else EXPRESSIONS
    return [func.coalesce(func.sum(expr), 0).label(name) for name, expr in chosen.items()]


_FACT_COUNTERS: dict[str, TextClause] = {}


def one_fact_counters(dialect: Dialect) -> TextClause:
    """Return the query of one fact's daily counters (``:fact_id``), compiled once per database
    kind. It is the same select as ``row_counters(daily=True)``, rendered to SQL text: as a
    select of ~410 labelled expressions it cost 10-15 ms to build and key on every fact change
    (each of a message's lifecycle events reads it twice), as text about 1 ms."""
    if dialect.name not in _FACT_COUNTERS:
        counters = select(*row_counters(daily=True)).select_from(F.__table__)
        sql = str(counters.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        _FACT_COUNTERS[dialect.name] = text(
            f"{sql} WHERE {F.__tablename__}.id = :fact_id")
    return _FACT_COUNTERS[dialect.name]
