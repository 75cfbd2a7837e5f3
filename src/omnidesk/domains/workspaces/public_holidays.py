"""Public holidays of a country and year, as calendar holidays an admin may import.

The dates come from the `holidays` package (its data ships in the wheel: no network), including
Korea's lunar holidays and substitute days (대체 휴일). Importing merges by date: a day already
on the list keeps its name and special hours. The package is imported when holidays are asked
for (its calendars take about 0.25 s of CPU to import, which every process start paid).
"""

from __future__ import annotations

from omnidesk.domains.workspaces.schemas import HolidayIn

MIN_YEAR, MAX_YEAR = 2000, 2100
LANGUAGES = {"ko": "ko", "en": "en_US"}


def public_holidays(country: str, year: int, locale: str) -> list[HolidayIn]:
    """Return a country's public holidays of a year, named in the locale, in date order."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"choose a year between {MIN_YEAR} and {MAX_YEAR}")
    import holidays as public

    found = public.country_holidays(country, years=year,
                                    language=LANGUAGES.get(locale, "en_US"))
    return [HolidayIn(date=day, name=str(name)[:100]) for day, name in sorted(found.items())]


def merge_holidays(current: list[HolidayIn], added: list[HolidayIn]) -> list[HolidayIn]:
    """Add holidays whose dates are not listed yet; the result is in date order."""
    known = {h.date for h in current}
    return sorted([*current, *(h for h in added if h.date not in known)], key=lambda h: h.date)
