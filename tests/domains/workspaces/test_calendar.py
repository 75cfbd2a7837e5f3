"""The business calendar: what open means, next open/close, working time and its display."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from omnidesk.domains.workspaces.calendar import Calendar
from omnidesk.domains.workspaces.schemas import BusinessHours

SEOUL, NEW_YORK = ZoneInfo("Asia/Seoul"), ZoneInfo("America/New_York")
WEEKDAY = [["09:00", "18:00"]]
OFFICE = Calendar.from_config({
    "timezone": "Asia/Seoul",
    "weekly": {day: WEEKDAY for day in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": ["2026-12-25", {"date": "2026-12-24", "name": "이브", "hours": [["09:00", "13:00"]]}],
})
HOUR = 3600.0


def seoul(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SEOUL)


def test_no_hours_configured_means_open_around_the_clock() -> None:
    for config in (None, {}, {"weekly": {}}, {"timezone": "UTC", "weekly": {"mon": []}}):
        calendar = Calendar.from_config(config)
        assert calendar.is_open(seoul(26, 3)) and calendar.always_open
        assert calendar.next_open(seoul(26, 3)) == seoul(26, 3)
        assert calendar.next_close(seoul(26, 3)) is None
        assert calendar.working_seconds(seoul(26, 0), seoul(27, 0)) == 24 * HOUR
        assert calendar.weekly_summary("ko") == "연중무휴 24시간"


def test_a_holiday_closes_a_calendar_without_weekly_hours() -> None:
    calendar = Calendar.from_config({"timezone": "Asia/Seoul", "holidays": ["2026-12-25"]})
    assert not calendar.is_open(seoul(25, 12)) and calendar.is_open(seoul(24, 23, 59))
    assert calendar.next_close(seoul(24, 12)) == seoul(25, 0)
    assert calendar.next_open(seoul(25, 12)) == seoul(26, 0)


def test_only_opening_hours_count() -> None:
    # Monday 2026-12-21 17:00 to Tuesday 10:00 Seoul: one hour Monday, one hour Tuesday
    assert OFFICE.working_seconds(seoul(21, 17), seoul(22, 10)) == 2 * HOUR


def test_weekends_and_holidays_are_closed_and_special_hours_open_part_of_a_day() -> None:
    # Thu 24th is Christmas Eve (09-13 only), Fri 25th Christmas, then a weekend
    assert OFFICE.working_seconds(seoul(24, 8), seoul(28, 10)) == 4 * HOUR + HOUR
    assert OFFICE.is_open(seoul(24, 12)) and not OFFICE.is_open(seoul(24, 14))
    assert OFFICE.next_open(seoul(24, 14)) == seoul(28, 9)
    assert OFFICE.next_close(seoul(24, 10)) == seoul(24, 13)


def test_adding_working_time_skips_closed_days_and_inverts_measuring() -> None:
    assert OFFICE.add_working_seconds(seoul(24, 12), 2 * HOUR) == seoul(28, 10)
    assert OFFICE.add_working_seconds(seoul(26, 3), 0) == seoul(28, 9)
    start = seoul(21, 8, 30).astimezone(dt.UTC)
    for seconds in (1.0, 5 * HOUR, 9 * HOUR, 40 * HOUR + 17):
        end = OFFICE.add_working_seconds(start, seconds)
        assert OFFICE.working_seconds(start, end) == pytest.approx(seconds)


def test_an_overnight_range_belongs_to_the_weekday_it_starts_on() -> None:
    night = Calendar.from_config({"timezone": "Asia/Seoul", "weekly": {"mon": [["22:00", "02:00"]]},
                                  "holidays": ["2026-12-28"]})
    assert night.is_open(seoul(21, 23)) and night.is_open(seoul(22, 1, 59))  # Mon 23:00, Tue 01:59
    assert not night.is_open(seoul(22, 2)) and not night.is_open(seoul(21, 21, 59))
    assert night.next_close(seoul(22, 1)) == seoul(22, 2)
    assert night.working_seconds(seoul(21, 12), seoul(22, 12)) == 4 * HOUR
    # Monday 28th is a holiday: its range, after-midnight part included, is closed
    assert not night.is_open(seoul(29, 1))
    assert night.next_open(seoul(28, 0)) == dt.datetime(2027, 1, 4, 22, tzinfo=SEOUL)
    assert night.weekly_summary("en") == "Mon 22:00–02:00"


def test_till_midnight_ranges_join_the_next_day_without_a_gap() -> None:
    late = Calendar.from_config({"timezone": "Asia/Seoul",
                                 "weekly": {"fri": [["18:00", "24:00"]], "sat": [["00:00", "03:00"]]}})
    assert late.is_open(seoul(25, 23, 59)) and late.is_open(seoul(26, 0))
    assert late.next_close(seoul(25, 20)) == seoul(26, 3)
    assert late.weekly_rows("ko")[4] == ("금", "18:00–24:00")
    assert late.weekly_rows("en")[0] == ("Mon", "Closed")


def test_daylight_saving_days_have_their_real_length() -> None:
    ny = Calendar.from_config({"timezone": "America/New_York",
                               "weekly": {"sat": [["09:00", "17:00"]], "sun": [["00:00", "24:00"]]}})
    start = dt.datetime(2026, 3, 8, 0, 0, tzinfo=NEW_YORK)  # clocks spring forward at 02:00
    assert ny.working_seconds(start, start + dt.timedelta(days=1)) == 23 * HOUR
    # Saturday 09:00 EST is 14:00 UTC; the next Saturday 09:00 EDT is 13:00 UTC
    assert ny.next_open(dt.datetime(2026, 3, 7, 13, tzinfo=dt.UTC)) == dt.datetime(
        2026, 3, 7, 14, tzinfo=dt.UTC)
    assert ny.next_open(dt.datetime(2026, 3, 14, 12, tzinfo=dt.UTC)) == dt.datetime(
        2026, 3, 14, 13, tzinfo=dt.UTC)
    assert ny.timezone_label(dt.datetime(2026, 3, 7, tzinfo=dt.UTC)) == "EST"
    assert ny.timezone_label(dt.datetime(2026, 3, 14, tzinfo=dt.UTC)) == "EDT"


def test_an_override_replaces_only_the_fields_it_sets() -> None:
    vip = OFFICE.override({"weekly": {"sat": [["10:00", "14:00"]]}})
    assert vip.is_open(seoul(26, 11)) and not vip.is_open(seoul(21, 10))  # Saturday, not Monday
    assert not vip.is_open(seoul(18, 12))  # a Friday: the override has no Friday range
    assert vip.holidays == OFFICE.holidays and vip.tz == OFFICE.tz
    assert OFFICE.override({"weekly": {}}).is_open(seoul(26, 3))  # an always-open queue
    assert OFFICE.override({"timezone": "UTC"}).is_open(seoul(21, 18, 30))  # 09:30 UTC
    assert OFFICE.override(None) is OFFICE


def test_summaries_say_the_hours_in_korean_and_english() -> None:
    calendar = OFFICE.override({"weekly": {**{d: WEEKDAY for d in ("mon", "tue", "wed", "thu",
                                                                     "fri")},
                                           "sat": [["10:00", "14:00"]]}})
    assert calendar.weekly_summary("ko") == "월–금 09:00–18:00, 토 10:00–14:00"
    assert calendar.weekly_summary("en-US") == "Mon–Fri 09:00–18:00, Sat 10:00–14:00"
    [eve, christmas] = calendar.upcoming_holidays(seoul(1, 0))
    assert calendar.holiday_text(eve, "ko") == "12월 24일(목) 이브 · 09:00–13:00"
    assert calendar.holiday_text(christmas, "en") == "Fri 25 Dec · Closed"
    assert calendar.format_moment(seoul(28, 9), "ko") == "12월 28일(월) 09:00"
    assert calendar.format_moment(seoul(28, 9), "en") == "Mon 28 Dec 09:00"


@pytest.mark.parametrize(("config", "message"), [
    ({"timezone": "Mars/Olympus"}, "unknown time zone"),
    ({"timezone": ""}, "time zone is required"),
    ({"weekly": {"funday": WEEKDAY}}, "funday"),
    ({"weekly": {"mon": [["9:00", "18:00"]]}}, "pattern"),
    ({"weekly": {"mon": [["09:00", "25:00"]]}}, "pattern"),
    ({"weekly": {"mon": [["09:00"]]}}, "a start and an end"),
    ({"weekly": {"mon": [["09:00", "09:00"]]}}, "different start and end"),
    ({"weekly": {"mon": [["24:00", "02:00"]]}}, "cannot start at 24:00"),
    ({"holidays": ["25/12/2026"]}, "date"),
    ({"hours": {}}, "Extra inputs"),
])
def test_bad_calendars_are_rejected_with_a_reason(config: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        BusinessHours.model_validate(config)


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        OFFICE.working_seconds(dt.datetime(2026, 1, 1), seoul(1, 1))


def test_stored_form_keeps_pairs_and_plain_dates() -> None:
    hours = BusinessHours.model_validate({
        "weekly": {"tue": [["09:00", "12:00"], ["13:00", "18:00"]], "mon": []},
        "holidays": ["2026-12-25", {"date": "2027-01-01", "name": "신정"}]})
    assert hours.stored() == {
        "weekly": {"tue": [["09:00", "12:00"], ["13:00", "18:00"]]},
        "holidays": ["2026-12-25", {"date": "2027-01-01", "name": "신정"}]}
