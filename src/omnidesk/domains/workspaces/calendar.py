"""The business calendar: the one answer to "are we open?" for every part of omnidesk.

Routing (queue open state, SLA due times), the SLA clocks, the bot ("when will a person answer"),
the widget's away state and the help center's displayed hours all ask a ``Calendar`` built here
from stored ``business_hours`` (see ``schemas.BusinessHours``). Its rules:

- **No hours configured** (no weekly ranges on any day) means open around the clock. Holidays
  still close their day, or open it only for their special hours.
- A range belongs to the weekday it starts on: Monday ``22:00–02:00`` is open from Monday 22:00
  to Tuesday 02:00, so Tuesday 01:00 is open because of *Monday's* range (and closed if Monday is a
  holiday). ``24:00`` ends a range at midnight (till-midnight).
- A holiday is a local date: closed all day, or open only during its special ``hours``.
- Local times are in the calendar's IANA time zone; arithmetic is done on UTC instants, so a
  daylight-saving day has its real length (23 or 25 hours).
- An override (a queue's or an inbox's own calendar) replaces the fields it sets (time zone,
  weekly ranges, holidays) and keeps the others; an override that sets ``weekly`` to ``{}`` is
  open around the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import get_day_names, get_month_names

from omnidesk.domains.workspaces.schemas import WEEKDAYS, BusinessHours, OpeningRange

HORIZON_DAYS = 3700  # ten years: how far next_open and add_working_seconds look
CLOSE_HORIZON_DAYS = 400  # next_close reports None when a calendar stays open longer
LocalRange = tuple[dt.time, dt.time, bool]  # start, end, ends on the next day
Window = tuple[dt.datetime, dt.datetime]  # UTC
WHOLE_DAY: tuple[LocalRange, ...] = ((dt.time(0), dt.time(0), True),)
ALWAYS = {"ko": "연중무휴 24시간", "en": "24/7"}
CLOSED = {"ko": "휴무", "en": "Closed"}
NO_HOLIDAYS = {"ko": "예정된 휴무일 없음", "en": "none scheduled"}


@dataclass(frozen=True)
class Holiday:
    """A local date closed all day, or open only during its special hours."""

    day: dt.date
    name: str | None = None
    hours: tuple[LocalRange, ...] = ()


@dataclass(frozen=True)
class OpenState:
    """Where the calendar stands at one instant, in the words shown to customers."""

    open: bool
    next_open: dt.datetime | None  # the instant itself while open
    next_close: dt.datetime | None  # None: does not close within a year
    summary: str  # weekly_summary
    next_open_text: str | None  # format_moment(next_open) while closed
    timezone: str  # the zone's abbreviation at that instant

    @property
    def next_change(self) -> dt.datetime | None:
        """Return when the state flips (opens or closes next), or None."""
        return self.next_close if self.open else self.next_open


@dataclass(frozen=True)
class Calendar:
    """Weekly opening ranges in a time zone, with holidays; ``weekly`` None: always open."""

    tz: ZoneInfo
    weekly: tuple[tuple[LocalRange, ...], ...] | None = None  # Monday first
    holidays: Mapping[dt.date, Holiday] = field(default_factory=dict)

    @classmethod
    def from_config(cls, data: Mapping[str, Any] | BusinessHours | None, *,
                    timezone: str = "UTC") -> Calendar:
        """Build a calendar from stored business hours; ``timezone`` when they name none."""
        hours = _validated(data)
        return cls(ZoneInfo(hours.timezone or timezone), _weekly(hours), _holidays(hours))

    def override(self, data: Mapping[str, Any] | BusinessHours | None) -> Calendar:
        """Return this calendar with the fields an override sets replaced (None: unchanged)."""
        if not data:
            return self
        hours = _validated(data)
        given = hours.model_fields_set
        return Calendar(
            ZoneInfo(hours.timezone) if hours.timezone else self.tz,
            _weekly(hours) if "weekly" in given else self.weekly,
            _holidays(hours) if "holidays" in given else self.holidays,
        )

    @property
    def always_open(self) -> bool:
        """Tell whether no hours are configured and no holiday closes anything."""
        return self.weekly is None and not self.holidays

    def windows_on(self, day: dt.date) -> list[Window]:
        """Return the UTC opening windows of the ranges that start on a local date."""
        holiday = self.holidays.get(day)
        if holiday is not None:
            ranges = holiday.hours
        else:
            ranges = WHOLE_DAY if self.weekly is None else self.weekly[day.weekday()]
        return [self._window(day, r) for r in ranges]

    def windows_from(self, start: dt.datetime, days: int = HORIZON_DAYS) -> Iterator[Window]:
        """Yield non-overlapping open windows ending after ``start``, clipped to it, in order."""
        _require_aware(start)
        covered = start.astimezone(dt.UTC)
        first = covered.astimezone(self.tz).date() - dt.timedelta(days=1)
        for offset in range(days):
            for opens, closes in self.windows_on(first + dt.timedelta(days=offset)):
                opens = max(opens, covered)
                if closes > opens:
                    yield opens, closes
                    covered = closes

    def is_open(self, at: dt.datetime) -> bool:
        """Tell whether the business is open at an instant."""
        _require_aware(at)
        day = at.astimezone(self.tz).date()
        return any(opens <= at < closes for back in (1, 0)
                   for opens, closes in self.windows_on(day - dt.timedelta(days=back)))

    def next_open(self, after: dt.datetime) -> dt.datetime | None:
        """Return the first open instant at or after ``after`` (itself when open), or None."""
        for opens, _closes in self.windows_from(after):
            return opens
        return None

    def next_close(self, after: dt.datetime) -> dt.datetime | None:
        """Return when the open spell around ``after`` ends (itself when closed), or None."""
        if not self.is_open(after):
            return after
        if self.always_open:
            return None
        end: dt.datetime | None = None
        for opens, closes in self.windows_from(after, CLOSE_HORIZON_DAYS):
            if end is not None and opens > end:
                return end
            end = closes
        return None

    def working_seconds(self, start: dt.datetime, end: dt.datetime) -> float:
        """Return how many open seconds lie between two instants (0 if end is not after start)."""
        _require_aware(start, end)
        total = 0.0
        for opens, closes in self.windows_from(start):
            if opens >= end:
                break
            total += (min(closes, end) - opens).total_seconds()
        return total

    def add_working_seconds(self, start: dt.datetime, seconds: float) -> dt.datetime:
        """Return the instant when ``seconds`` of open time have passed since ``start``."""
        remaining = max(seconds, 0.0)
        for opens, closes in self.windows_from(start):
            length = (closes - opens).total_seconds()
            if remaining <= length:
                return opens + dt.timedelta(seconds=remaining)
            remaining -= length
        raise ValueError("the calendar has no opening hours in the next ten years")

    def state(self, at: dt.datetime, locale: str) -> OpenState:
        """Return whether it is open at ``at``, when that changes, and the words for it."""
        is_open = self.is_open(at)
        opens = self.next_open(at)
        return OpenState(
            open=is_open, next_open=opens, next_close=self.next_close(at),
            summary=self.weekly_summary(locale), timezone=self.timezone_label(at),
            next_open_text=None if is_open or opens is None else self.format_moment(opens, locale))

    def weekly_rows(self, locale: str) -> list[tuple[str, str]]:
        """Return one (weekday name, hours or 'Closed') row per weekday, Monday first."""
        names = _day_names(locale)
        if self.weekly is None:
            return [(names[i], "00:00–24:00") for i in range(7)]
        return [(names[i], _ranges_text(day) or CLOSED[_lang(locale)])
                for i, day in enumerate(self.weekly)]

    def weekly_summary(self, locale: str) -> str:
        """Summarise the open days: '월–금 09:00–18:00, 토 10:00–14:00' / 'Mon–Fri 09:00–18:00'."""
        if self.weekly is None:
            return ALWAYS[_lang(locale)]
        names = _day_names(locale)
        groups: list[tuple[list[int], str]] = []
        for index, day in enumerate(self.weekly):
            text = _ranges_text(day)
            if text and groups and groups[-1][1] == text and groups[-1][0][-1] == index - 1:
                groups[-1][0].append(index)
            elif text:
                groups.append(([index], text))
        return ", ".join(
            (names[d[0]] if len(d) == 1 else f"{names[d[0]]}–{names[d[-1]]}") + f" {text}"
            for d, text in groups)

    def upcoming_holidays(self, after: dt.datetime, limit: int = 5) -> list[Holiday]:
        """Return the next holidays from the local date of ``after`` on, in date order."""
        today = after.astimezone(self.tz).date()
        return sorted((h for h in self.holidays.values() if h.day >= today),
                      key=lambda h: h.day)[:limit]

    def holiday_text(self, holiday: Holiday, locale: str) -> str:
        """Say a holiday for customers: '12월 25일(금) 성탄절 · 휴무' or 'Fri 25 Dec · 10:00–14:00'."""
        lang = _lang(locale)
        day = holiday.day
        when = (f"{day.month}월 {day.day}일({_day_names('ko')[day.weekday()]})" if lang == "ko"
                else f"{_day_names('en')[day.weekday()]} {day.day} {_month_name(day.month)}")
        label = f"{when} {holiday.name}" if holiday.name else when
        return f"{label} · {_ranges_text(holiday.hours) or CLOSED[lang]}"

    def fill(self, text: str, locale: str, at: dt.datetime) -> str:
        """Put this calendar's words in place of ``{{hours}}`` and ``{{holidays}}`` in a text.

        Help-center articles state the hours this way, so they never disagree with the calendar.
        """
        if "{{" not in text:
            return text
        hours = f"{self.weekly_summary(locale)} ({self.timezone_label(at)})"
        holidays = ", ".join(self.holiday_text(h, locale) for h in self.upcoming_holidays(at))
        return (text.replace("{{hours}}", hours)
                .replace("{{holidays}}", holidays or NO_HOLIDAYS[_lang(locale)]))

    def format_moment(self, moment: dt.datetime, locale: str) -> str:
        """Say an instant in local time: '11월 24일(월) 09:00' or 'Mon 24 Nov 09:00'."""
        local = moment.astimezone(self.tz)
        day = _day_names(locale)[local.weekday()]
        if _lang(locale) == "ko":
            return f"{local.month}월 {local.day}일({day}) {local:%H:%M}"
        return f"{day} {local.day} {_month_name(local.month)} {local:%H:%M}"

    def timezone_label(self, at: dt.datetime) -> str:
        """Return the zone's abbreviation at an instant (KST, EST or EDT), else its UTC offset."""
        name = at.astimezone(self.tz).tzname() or str(self.tz)
        return name if name.isalpha() else f"UTC{name}"

    def _window(self, day: dt.date, local: LocalRange) -> Window:
        start, end, next_day = local
        end_day = day + dt.timedelta(days=1) if next_day else day
        return (dt.datetime.combine(day, start, self.tz).astimezone(dt.UTC),
                dt.datetime.combine(end_day, end, self.tz).astimezone(dt.UTC))


def _validated(data: Mapping[str, Any] | BusinessHours | None) -> BusinessHours:
    if isinstance(data, BusinessHours):
        return data
    return BusinessHours.model_validate(dict(data or {}))


def _ranges(ranges: list[OpeningRange]) -> tuple[LocalRange, ...]:
    parsed = []
    for item in ranges:
        start, end = _clock(item.start), _clock(item.end)
        parsed.append((start, end, end <= start))
    return tuple(sorted(parsed))


def _weekly(hours: BusinessHours) -> tuple[tuple[LocalRange, ...], ...] | None:
    weekly = tuple(_ranges(hours.weekly.get(day) or []) for day in WEEKDAYS)
    return weekly if any(weekly) else None


def _holidays(hours: BusinessHours) -> dict[dt.date, Holiday]:
    return {h.date: Holiday(h.date, h.name, _ranges(h.hours)) for h in hours.holidays}


def _clock(text: str) -> dt.time:
    """Parse ``HH:MM``; ``24:00`` is the midnight that ends a day."""
    return dt.time(0) if text == "24:00" else dt.time.fromisoformat(text)


def _ranges_text(ranges: tuple[LocalRange, ...]) -> str:
    return ", ".join(f"{s:%H:%M}–{'24:00' if e == dt.time(0) else f'{e:%H:%M}'}"
                     for s, e, _next in ranges)


def _lang(locale: str) -> str:
    return "ko" if locale.lower().startswith("ko") else "en"


def _day_names(locale: str) -> list[str]:
    names = get_day_names("abbreviated", locale=_lang(locale))
    return [str(names[i]) for i in range(7)]


def _month_name(month: int) -> str:
    return str(get_month_names("abbreviated", locale="en")[month])


def _require_aware(*moments: dt.datetime) -> None:
    if any(m.tzinfo is None for m in moments):
        raise ValueError("naive datetime given; pass aware datetimes")
