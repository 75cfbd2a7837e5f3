"""SLA clocks that count open business time and pause while waiting on the customer.

The calendar itself is tested in tests/domains/workspaces/test_calendar.py.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from omnidesk.domains.routing.sla.clocks import (
    SLA_BREACHED,
    SLA_WARNING,
    SlaPolicy,
    StatusInterval,
    evaluate_sla,
    intervals_from_changes,
    sla_events,
)
from omnidesk.domains.workspaces.service import Calendar

SEOUL = ZoneInfo("Asia/Seoul")
WEEKDAY = [["09:00", "18:00"]]
CALENDAR = Calendar.from_config(
    {
        "timezone": "Asia/Seoul",
        "weekly": {day: WEEKDAY for day in ("mon", "tue", "wed", "thu", "fri")},
        "holidays": ["2026-12-25"],
    }
)
HOUR = 3600.0


def seoul(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SEOUL)


POLICY = SlaPolicy.from_config(
    {
        "targets": {"high": {"first_response": HOUR, "resolution": 8 * HOUR}},
        "warn_before_seconds": 600,
    }
)


def test_the_clock_pauses_while_waiting_on_the_customer() -> None:
    created = seoul(21, 9)
    intervals = intervals_from_changes(
        created, [(seoul(21, 10), "pending"), (seoul(22, 9), "open")]
    )
    [first, resolution] = evaluate_sla(
        POLICY,
        CALENDAR,
        priority="high",
        intervals=intervals,
        now=seoul(22, 12),
        first_response_at=seoul(21, 9, 30),
    )
    assert (first.state, first.elapsed_seconds) == ("met", 0.5 * HOUR)
    assert resolution.elapsed_seconds == 4 * HOUR  # 09-10 Monday, 09-12 Tuesday
    assert resolution.state == "ok" and resolution.due_at == seoul(22, 16)


def test_warning_then_breach_emit_one_event_each() -> None:
    created = seoul(21, 9)
    intervals = [StatusInterval("open", created)]

    def clocks(now: dt.datetime) -> list:  # type: ignore[type-arg]
        return evaluate_sla(POLICY, CALENDAR, priority="high", intervals=intervals, now=now)

    warning = clocks(seoul(21, 9, 55))
    assert [c.state for c in warning] == ["warning", "ok"]
    assert [name for name, _ in sla_events({}, warning)] == [SLA_WARNING]
    breached = clocks(seoul(21, 10, 1))
    states = {c.metric: c.state for c in warning}
    assert [name for name, _ in sla_events(states, breached)] == [SLA_BREACHED]
    assert sla_events({"first_response": "breached"}, breached) == []


def test_a_late_answer_is_missed_and_paused_clocks_have_no_due_time() -> None:
    created = seoul(21, 9)
    intervals = intervals_from_changes(created, [(seoul(21, 11), "pending")])
    [first, resolution] = evaluate_sla(
        POLICY,
        CALENDAR,
        priority="high",
        intervals=intervals,
        now=seoul(21, 12),
        first_response_at=seoul(21, 10, 30),
    )
    assert first.state == "missed"
    assert resolution.paused and resolution.due_at is None
    assert evaluate_sla(POLICY, CALENDAR, priority="low", intervals=intervals, now=created) == []
