"""Business hours as the bot tells them: open now, when the team next opens, weekly hours.

Reads the workspace's ``business_hours`` ({"timezone", "weekly": {"mon": [["09:00","18:00"]]},
"holidays": [...]}); the routing domain's calendar does the SLA arithmetic on the same data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {"ko": "월화수목금토일", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
LOOKAHEAD_DAYS = 14


def _zone(hours: dict[str, Any], fallback: str) -> ZoneInfo:
    return ZoneInfo(str(hours.get("timezone") or fallback))


def _spans(hours: dict[str, Any], day: dt.date) -> list[tuple[str, str]]:
    if day.isoformat() in set(hours.get("holidays") or []):
        return []
    return [(start, end) for start, end in (hours.get("weekly") or {}).get(
        DAYS[day.weekday()], [])]


def is_open(hours: dict[str, Any] | None, now: dt.datetime, *, timezone: str = "UTC") -> bool:
    """Tell whether the team works at this moment (no hours configured means always)."""
    if not hours or not hours.get("weekly"):
        return True
    local = now.astimezone(_zone(hours, timezone))
    clock = local.strftime("%H:%M")
    return any(start <= clock < (end if end != "00:00" else "24:00")
               for start, end in _spans(hours, local.date()))


def next_opening(hours: dict[str, Any] | None, now: dt.datetime, *,
                 timezone: str = "UTC") -> dt.datetime | None:
    """Return when the team next starts work (local time), or None within two weeks."""
    if not hours or not hours.get("weekly"):
        return None
    zone = _zone(hours, timezone)
    local = now.astimezone(zone)
    for offset in range(LOOKAHEAD_DAYS):
        day = local.date() + dt.timedelta(days=offset)
        for start, _end in sorted(_spans(hours, day)):
            opens = dt.datetime.combine(day, dt.time.fromisoformat(start), zone)
            if opens > local:
                return opens
    return None


def format_moment(moment: dt.datetime, lang: str) -> str:
    """Say a local time for customers: '11월 24일(월) 09:00' or 'Mon 24 Nov 09:00'."""
    day = moment.weekday()
    if lang == "ko":
        return f"{moment.month}월 {moment.day}일({DAY_NAMES['ko'][day]}) {moment:%H:%M}"
    return f"{DAY_NAMES['en'][day]} {moment.day} {moment:%b %H:%M}"


def weekly_summary(hours: dict[str, Any] | None, lang: str) -> str:
    """Summarise the weekly hours: '월–금 09:00–18:00' or 'Mon–Fri 09:00–18:00'."""
    weekly = (hours or {}).get("weekly") or {}
    names = DAY_NAMES["ko"] if lang == "ko" else DAY_NAMES["en"]
    groups: list[tuple[list[int], str]] = []
    for index, day in enumerate(DAYS):
        spans = ", ".join(f"{s}–{e}" for s, e in weekly.get(day, []))
        if not spans:
            continue
        if groups and groups[-1][1] == spans and groups[-1][0][-1] == index - 1:
            groups[-1][0].append(index)
        else:
            groups.append(([index], spans))
    if not groups:
        return "24/7" if lang != "ko" else "연중무휴 24시간"
    return ", ".join(
        (names[d[0]] if len(d) == 1 else f"{names[d[0]]}–{names[d[-1]]}") + f" {spans}"
        for d, spans in groups)
