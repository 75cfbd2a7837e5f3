"""Business-hours calendars: weekly opening hours in a time zone, minus holidays.

Calendar arithmetic is done on UTC instants: Python subtracts aware datetimes that share a tzinfo
as if they were naive, which would get daylight-saving days wrong, so every window is converted to
UTC before it is compared or measured.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_DAYS_AHEAD = 3700  # ten years: a calendar with no hours in that span is treated as closed
Window = tuple[dt.datetime, dt.datetime]
LocalHours = tuple[tuple[dt.time, dt.time, bool], ...]  # (start, end, ends next day)


@dataclass(frozen=True)
class BusinessCalendar:
    """Weekly opening hours in a time zone, with holidays (local dates) closed all day."""

    tz: ZoneInfo
    weekly: tuple[LocalHours, ...]  # one entry per weekday, Monday first
    holidays: frozenset[dt.date] = frozenset()

    @classmethod
    def always_open(cls, timezone: str = "UTC") -> BusinessCalendar:
        """Return a calendar open around the clock every day."""
        whole_day = ((dt.time(0), dt.time(0), True),)
        return cls(ZoneInfo(timezone), (whole_day,) * 7)

    @classmethod
    def from_config(cls, data: Mapping[str, Any] | None) -> BusinessCalendar:
        """Parse ``{"timezone", "weekly": {"mon": [["09:00","18:00"]]}, "holidays": [...]}``."""
        if not data:
            return cls.always_open()
        tz = ZoneInfo(str(data.get("timezone", "UTC")))
        weekly_in = data.get("weekly") or {}
        unknown = set(weekly_in) - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"unknown weekdays: {', '.join(sorted(unknown))}")
        weekly = tuple(_parse_day(weekly_in.get(day) or []) for day in WEEKDAYS)
        holidays = frozenset(dt.date.fromisoformat(h) for h in data.get("holidays") or [])
        return cls(tz, weekly, holidays)

    def windows_on(self, day: dt.date) -> list[Window]:
        """Return the UTC opening windows that start on a local date."""
        if day in self.holidays:
            return []
        result = []
        for start, end, next_day in self.weekly[day.weekday()]:
            end_day = day + dt.timedelta(days=1) if next_day else day
            opens = dt.datetime.combine(day, start, self.tz).astimezone(dt.UTC)
            closes = dt.datetime.combine(end_day, end, self.tz).astimezone(dt.UTC)
            result.append((opens, closes))
        return result

    def windows_from(self, start: dt.datetime) -> Iterator[Window]:
        """Yield opening windows clipped to begin no earlier than ``start``, in time order."""
        day = start.astimezone(self.tz).date() - dt.timedelta(days=1)
        for offset in range(MAX_DAYS_AHEAD):
            for opens, closes in self.windows_on(day + dt.timedelta(days=offset)):
                if closes > start:
                    yield max(opens, start), closes


def business_seconds_between(
    calendar: BusinessCalendar, start: dt.datetime, end: dt.datetime
) -> float:
    """Return how many open seconds lie between two instants (0 if end is not after start)."""
    _require_aware(start, end)
    total = 0.0
    for opens, closes in calendar.windows_from(start):
        if opens >= end:
            break
        total += (min(closes, end) - opens).total_seconds()
    return total


def add_business_seconds(
    calendar: BusinessCalendar, start: dt.datetime, seconds: float
) -> dt.datetime:
    """Return the instant when ``seconds`` of open time have passed since ``start``."""
    _require_aware(start)
    remaining = max(seconds, 0.0)
    for opens, closes in calendar.windows_from(start):
        length = (closes - opens).total_seconds()
        if remaining <= length:
            return opens + dt.timedelta(seconds=remaining)
        remaining -= length
    raise ValueError("the calendar has no opening hours in the next ten years")


def _parse_day(ranges: list[list[str]]) -> LocalHours:
    """Parse one weekday's ``[["09:00", "18:00"], ...]``; an end before the start is overnight."""
    parsed = []
    for pair in ranges:
        if len(pair) != 2:
            raise ValueError(f"an opening range needs a start and an end: {pair!r}")
        start, end = (_parse_time(text) for text in pair)
        parsed.append((start, end, end <= start))
    return tuple(sorted(parsed))


def _parse_time(text: str) -> dt.time:
    """Parse ``HH:MM``; ``24:00`` means midnight at the end of the day."""
    return dt.time(0) if text == "24:00" else dt.time.fromisoformat(text)


def _require_aware(*moments: dt.datetime) -> None:
    if any(m.tzinfo is None for m in moments):
        raise ValueError("naive datetime given; pass aware datetimes")
