"""Dates in Korean and English messages, relative (어제, 3일 전, next week) or absolute.

Each match becomes (text, start, end, ISO date) against a reference day (today by default).
Years are optional: a month/day without a year is taken in the reference year, or last year
when that would lie more than a month in the future (customers talk about past orders).
"""

from __future__ import annotations

import datetime as dt
import re

from omnidesk.core.db import utcnow

DateSpan = tuple[str, int, int, str]

RELATIVE_WORDS = {
    "그저께": -2, "그제": -2, "엊그제": -2, "어제": -1, "오늘": 0, "금일": 0, "내일": 1,
    "모레": 2, "글피": 3, "day before yesterday": -2, "yesterday": -1, "today": 0,
    "tonight": 0, "tomorrow": 1, "day after tomorrow": 2,
}  # fmt: skip
KOREAN_DAY_COUNTS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7}
ENGLISH_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
MONTHS = {
    name: index
    for index, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for name in names
}  # fmt: skip
UNIT_DAYS = {"일": 1, "주": 7, "day": 1, "days": 1, "week": 7, "weeks": 7}

_RELATIVE_WORD = re.compile(
    "|".join(re.escape(word) for word in sorted(RELATIVE_WORDS, key=len, reverse=True)),
    re.IGNORECASE,
)
_KO_OFFSET = re.compile(
    r"(\d+|하루|이틀|사흘|나흘|닷새|엿새|이레)\s*(일|주|)\s*(?:일\s*)?(전|후|뒤)"
)
_EN_AGO = re.compile(r"\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                     r"(days?|weeks?)\s+ago\b", re.IGNORECASE)  # fmt: skip
_EN_IN = re.compile(r"\bin\s+(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                    r"(days?|weeks?)\b", re.IGNORECASE)  # fmt: skip
_WEEK = re.compile(
    r"지난\s*주|저번\s*주|이번\s*주|다음\s*주|\b(?:last|this|next) week\b", re.IGNORECASE
)
_ISO = re.compile(r"(?<!\d)(20\d{2})[-./](\d{1,2})[-./](\d{1,2})(?!\d)")
_KO_ABSOLUTE = re.compile(r"(?:(20\d{2})\s*년\s*)?(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_EN_MONTH_DAY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(20\d{2}))?\b")
_EN_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3,9})(?:\s+(20\d{2}))?\b"
)
_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(20\d{2}))?(?![\d/])")


def find_dates(text: str, *, today: dt.date | None = None) -> list[DateSpan]:
    """Find dates in a message and normalize them to ISO (YYYY-MM-DD)."""
    ref = today or utcnow().date()
    spans: list[DateSpan] = []
    spans += _offsets(text, ref)
    spans += _relative_words(text, ref)
    spans += _weeks(text, ref)
    spans += _absolute(text, ref)
    return spans


def _relative_words(text: str, ref: dt.date) -> list[DateSpan]:
    out = []
    for match in _RELATIVE_WORD.finditer(text):
        if match.group().isascii() and not _is_word(text, match.start(), match.end()):
            continue
        days = RELATIVE_WORDS[match.group().lower()]
        out.append(_span(match, ref + dt.timedelta(days=days)))
    return out


def _offsets(text: str, ref: dt.date) -> list[DateSpan]:
    out = []
    for match in _KO_OFFSET.finditer(text):
        amount, unit, direction = match.groups()
        days = int(amount) if amount.isdigit() else KOREAN_DAY_COUNTS[amount]
        days *= UNIT_DAYS.get(unit, 1)
        out.append(_span(match, ref + dt.timedelta(days=-days if direction == "전" else days)))
    for pattern, sign in ((_EN_AGO, -1), (_EN_IN, 1)):
        for match in pattern.finditer(text):
            amount, unit = match.group(1).lower(), match.group(2).lower()
            days = (int(amount) if amount.isdigit() else ENGLISH_NUMBERS[amount]) * UNIT_DAYS[unit]
            out.append(_span(match, ref + dt.timedelta(days=sign * days)))
    return out


def _weeks(text: str, ref: dt.date) -> list[DateSpan]:
    """Map last/this/next week to that week's Monday."""
    out = []
    monday = ref - dt.timedelta(days=ref.weekday())
    for match in _WEEK.finditer(text):
        word = match.group().lower()
        shift = -7 if ("지난" in word or "저번" in word or "last" in word) else 0
        shift = 7 if ("다음" in word or "next" in word) else shift
        out.append(_span(match, monday + dt.timedelta(days=shift)))
    return out


def _absolute(text: str, ref: dt.date) -> list[DateSpan]:
    out = []
    for match in _ISO.finditer(text):
        out += _checked(match, ref, match.group(1), match.group(2), match.group(3))
    for match in _KO_ABSOLUTE.finditer(text):
        out += _checked(match, ref, match.group(1), match.group(2), match.group(3))
    for match in _EN_MONTH_DAY.finditer(text):
        month = MONTHS.get(match.group(1).lower())
        if month:
            out += _checked(match, ref, match.group(3), str(month), match.group(2))
    for match in _EN_DAY_MONTH.finditer(text):
        month = MONTHS.get(match.group(2).lower())
        if month:
            out += _checked(match, ref, match.group(3), str(month), match.group(1))
    for match in _SLASH.finditer(text):
        out += _checked(match, ref, match.group(3), match.group(1), match.group(2))
    return out


def _checked(
    match: re.Match[str], ref: dt.date, year: str | None, month: str, day: str
) -> list[DateSpan]:
    try:
        value = dt.date(int(year) if year else ref.year, int(month), int(day))
    except ValueError:
        return []
    if not year and value > ref + dt.timedelta(days=31):
        value = value.replace(year=value.year - 1)
    return [_span(match, value)]


def _span(match: re.Match[str], value: dt.date) -> DateSpan:
    return (match.group(), match.start(), match.end(), value.isoformat())


def _is_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()
