"""Business hours, holidays and SLA clocks that pause while waiting on the customer."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from omnidesk.domains.routing.business_hours import (
    BusinessCalendar,
    add_business_seconds,
    business_seconds_between,
)
from omnidesk.domains.routing.sla import (
    SLA_BREACHED,
    SLA_WARNING,
    SlaPolicy,
    StatusInterval,
    evaluate_sla,
    intervals_from_changes,
    sla_events,
)

SEOUL = ZoneInfo("Asia/Seoul")
WEEKDAY = [["09:00", "18:00"]]
CALENDAR = BusinessCalendar.from_config(
    {
        "timezone": "Asia/Seoul",
        "weekly": {day: WEEKDAY for day in ("mon", "tue", "wed", "thu", "fri")},
        "holidays": ["2026-12-25"],
    }
)
HOUR = 3600.0


def seoul(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SEOUL)


def test_only_opening_hours_count() -> None:
    # Monday 2026-12-21 17:00 to Tuesday 10:00 Seoul: one hour Monday, one hour Tuesday
    assert business_seconds_between(CALENDAR, seoul(21, 17), seoul(22, 10)) == 2 * HOUR


def test_weekends_and_holidays_are_closed() -> None:
    # Thursday 24th 17:00 -> Monday 28th 10:00: Friday 25th is Christmas, then a weekend
    assert business_seconds_between(CALENDAR, seoul(24, 17), seoul(28, 10)) == 2 * HOUR


def test_adding_business_time_skips_closed_days() -> None:
    assert add_business_seconds(CALENDAR, seoul(24, 17), 2 * HOUR) == seoul(28, 10)
    assert add_business_seconds(CALENDAR, seoul(26, 3), 0) == seoul(28, 9)


def test_adding_and_measuring_are_inverse() -> None:
    start = seoul(21, 8, 30).astimezone(dt.UTC)
    for seconds in (1.0, 5 * HOUR, 9 * HOUR, 40 * HOUR + 17):
        end = add_business_seconds(CALENDAR, start, seconds)
        assert business_seconds_between(CALENDAR, start, end) == pytest.approx(seconds)


def test_daylight_saving_days_have_their_real_length() -> None:
    calendar = BusinessCalendar.always_open("America/New_York")
    new_york = ZoneInfo("America/New_York")
    start = dt.datetime(2026, 3, 8, 0, 0, tzinfo=new_york)  # clocks spring forward at 02:00
    end = dt.datetime(2026, 3, 9, 0, 0, tzinfo=new_york)
    assert business_seconds_between(calendar, start, end) == 23 * HOUR


def test_overnight_and_24h_ranges() -> None:
    night = BusinessCalendar.from_config(
        {"timezone": "UTC", "weekly": {"mon": [["22:00", "06:00"]]}}
    )
    start = dt.datetime(2026, 12, 21, 12, tzinfo=dt.UTC)
    assert business_seconds_between(night, start, start + dt.timedelta(days=1)) == 8 * HOUR
    whole = BusinessCalendar.from_config({"weekly": {"sat": [["00:00", "24:00"]]}})
    saturday = dt.datetime(2026, 12, 26, tzinfo=dt.UTC)
    assert business_seconds_between(whole, saturday, saturday + dt.timedelta(days=2)) == 24 * HOUR


def test_bad_calendars_are_rejected() -> None:
    with pytest.raises(ValueError, match="weekdays"):
        BusinessCalendar.from_config({"weekly": {"funday": WEEKDAY}})
    with pytest.raises(ValueError, match="no opening hours"):
        add_business_seconds(BusinessCalendar.from_config({"weekly": {}}), seoul(1, 1), 1)
    with pytest.raises(ValueError, match="naive"):
        business_seconds_between(CALENDAR, dt.datetime(2026, 1, 1), seoul(1, 1))


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
