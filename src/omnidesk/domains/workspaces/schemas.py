"""Workspace schemas."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from omnidesk.core.schemas import Patch

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def check_timezone(name: str) -> str:
    """Return an IANA time zone name unchanged, or raise ValueError for an empty or unknown one."""
    if not name or not name.strip():
        raise ValueError("a time zone is required, e.g. Asia/Seoul")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as Asia/Seoul") from exc
    return name


TimeZoneName = Annotated[str, Field(max_length=64), AfterValidator(check_timezone)]
"""An IANA time zone name (``Asia/Seoul``); empty or unknown names fail validation (422)."""

ClockTime = Annotated[str, Field(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
"""``HH:MM`` on a 24-hour clock; ``24:00`` is the midnight that ends a day."""


class OpeningRange(BaseModel):
    """One opening range; an end at or before the start runs past midnight (overnight)."""

    start: ClockTime
    end: ClockTime

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            if len(value) != 2:
                raise ValueError('an opening range needs a start and an end: ["HH:MM", "HH:MM"]')
            return {"start": value[0], "end": value[1]}
        return value

    @model_validator(mode="after")
    def _sensible(self) -> OpeningRange:
        if self.start == "24:00":
            raise ValueError("a range cannot start at 24:00; use 00:00")
        if self.start == self.end:
            raise ValueError("a range needs different start and end; 00:00–24:00 is all day")
        return self


class HolidayIn(BaseModel):
    """A closed local date, optionally named, or open only during its special hours."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date
    name: str | None = Field(None, max_length=100)
    hours: list[OpeningRange] = Field(default_factory=list, max_length=8)


def _stored_holiday(holiday: HolidayIn) -> str | dict[str, Any]:
    if not holiday.name and not holiday.hours:
        return holiday.date.isoformat()
    data: dict[str, Any] = {"date": holiday.date.isoformat()}
    if holiday.name:
        data["name"] = holiday.name
    if holiday.hours:
        data["hours"] = [[r.start, r.end] for r in holiday.hours]
    return data


class BusinessHours(BaseModel):
    """A business calendar: time zone, weekly ranges per weekday and holidays.

    No weekly ranges at all means no hours are configured: open around the clock (holidays still
    close their day). A time zone left out is the owner's (the workspace's) time zone.
    """

    model_config = ConfigDict(extra="forbid")

    timezone: TimeZoneName | None = None
    weekly: dict[Weekday, list[OpeningRange]] = Field(default_factory=dict)
    holidays: list[HolidayIn] = Field(default_factory=list, max_length=400)

    @model_validator(mode="before")
    @classmethod
    def _plain_dates(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("holidays"), list):
            value = {**value, "holidays": [{"date": h} if isinstance(h, str) else h
                                           for h in value["holidays"]]}
        return value

    def stored(self) -> dict[str, Any]:
        """Return the JSON form kept on the workspace (ranges as ``["HH:MM", "HH:MM"]``)."""
        data: dict[str, Any] = {
            "weekly": {day: [[r.start, r.end] for r in self.weekly[day]]
                       for day in WEEKDAYS if self.weekly.get(day)},
            "holidays": [_stored_holiday(h) for h in self.holidays],
        }
        if self.timezone:
            data["timezone"] = self.timezone
        return data


class CalendarStateRead(BaseModel):
    """Whether a business calendar is open at an instant, when that changes, and its hours."""

    model_config = ConfigDict(from_attributes=True)

    open: bool
    next_open: dt.datetime | None
    next_close: dt.datetime | None
    next_change: dt.datetime | None
    summary: str
    next_open_text: str | None
    timezone: str


class WorkspaceCreate(BaseModel):
    slug: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1, max_length=200)
    default_locale: str = Field("ko", pattern=r"^(ko|en)$")
    timezone: TimeZoneName = "Asia/Seoul"
    languages: list[Literal["ko", "en"]] | None = Field(
        None, description="Languages the workspace serves customers in (default: its locale)")

    @model_validator(mode="after")
    def _locale_is_served(self) -> WorkspaceCreate:
        if self.languages is not None:
            if not self.languages:
                raise ValueError("choose at least one language")
            if self.default_locale not in self.languages:
                raise ValueError("the default language must be one of the languages")
        return self


class WorkspaceUpdate(Patch):
    """Change some workspace fields; `settings` is a JSON Merge Patch over the stored settings."""

    name: str | None = Field(None, min_length=1, max_length=200)
    default_locale: str | None = Field(None, pattern=r"^(ko|en)$")
    timezone: TimeZoneName | None = None
    settings: dict[str, Any] | None = Field(
        None, description="Merged into the stored settings (RFC 7386): keys left out stay, "
        "objects merge, null removes a key")
    business_hours: BusinessHours | None = None


class WorkspaceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    name: str
    default_locale: str
    timezone: str
    settings: dict[str, Any]
    business_hours: dict[str, Any]
    created_at: dt.datetime
