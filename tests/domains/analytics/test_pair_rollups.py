"""Pair and monthly rollups answer as the facts do, on SQLite and PostgreSQL.

Two slices among channel, inbox, team and language (or one grouped by another) over whole local
days read the pair's daily rows; the whole months of a range read the monthly rows. Each answer
is compared with the same filter over the same instants without ``days`` (the facts, or the
hourly rollups), kept up to date event by event, after a fact moves to another team and channel,
and after its conversation is deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.agents.models import Team
from omnidesk.domains.analytics import reports, service
from omnidesk.domains.analytics.actions import do_rebuild_rollups, do_refresh_fact
from omnidesk.domains.analytics.models import DAILY_COUNTERS, daily_rollups
from omnidesk.domains.analytics.occupancy import KEYS as OCCUPANCY_KEYS
from omnidesk.domains.analytics.reports import ReportFilter, day_filter, kpis, split_months
from omnidesk.domains.analytics.tables import bot_report, heatmap, survey_distribution
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.workspaces.service import Calendar, get_workspace, workspace_calendar
from tests.conftest import Persona
from tests.domains.analytics.history import CHAT, KST, SMS, Story, add_customer, add_story

NOW = dt.datetime(2027, 2, 10, tzinfo=dt.UTC)


def at(month: int, day: int, hour: int) -> dt.datetime:
    """Return an instant in Seoul time, November 2026 to January 2027."""
    year = 2027 if month < 6 else 2026
    return dt.datetime(year, month, day, hour, tzinfo=KST).astimezone(dt.UTC)


# (created, channel, team index, language, first reply after minutes, CSAT)
STORIES = [
    (at(11, 15, 10), CHAT, 0, "ko", 5, 5), (at(11, 30, 23), SMS, 1, "ko", 40, 2),
    (at(12, 1, 0), CHAT, 1, "en", 3, None), (at(12, 1, 9), SMS, 0, "ko", 90, 4),
    (at(12, 10, 14), CHAT, 0, "ko", 12, 1), (at(12, 31, 23), SMS, 1, "en", 7, 5),
    (at(1, 1, 0), CHAT, 0, "ko", 20, 3), (at(1, 5, 11), SMS, 0, "en", 300, None),
    (at(1, 20, 16), CHAT, 1, None, 1, 5),
]


async def build(session: AsyncSession, ws: int) -> tuple[list[int], list[int]]:
    """Store the stories on two teams and count them event by event; return (teams, ids)."""
    teams = [Team(workspace_id=ws, name=name, members=[]) for name in ("설치팀", "환불팀")]
    session.add_all(teams)
    await session.flush()
    ids = []
    for index, (created, channel, team, language, minutes, csat) in enumerate(STORIES):
        customer = await add_customer(session, ws, f"c{index}")
        reply = created + dt.timedelta(minutes=minutes)
        conversation_id = await add_story(session, ws, customer, Story(
            created=created, channel=channel, agent_replies=[reply], language=language or "",
            resolved=reply + dt.timedelta(minutes=30), bot_replies=(
                [created + dt.timedelta(seconds=30)] if index % 3 == 0 else []),
            handoff="customer_request" if index % 3 == 0 else None,
            scores={"csat": csat} if csat else {}))
        conversation = await session.get(Conversation, conversation_id)
        assert conversation is not None
        conversation.team_id = teams[team].id
        conversation.language = language
        ids.append(conversation_id)
    await session.flush()
    for conversation_id in ids:
        await do_refresh_fact(session, workspace_id=ws, conversation_id=conversation_id, now=NOW)
    await session.commit()
    return [team.id for team in teams], ids


RANGES = [  # partial November, whole December, partial January; whole months; no whole month
    (dt.date(2026, 11, 20), dt.date(2027, 1, 3)), (dt.date(2026, 11, 1), dt.date(2027, 1, 31)),
    (dt.date(2026, 12, 2), dt.date(2026, 12, 30)), (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
]


def test_a_range_splits_into_whole_months_and_the_days_around_them() -> None:
    d = dt.date
    assert split_months(d(2026, 11, 20), d(2027, 1, 3)) == (
        [(d(2026, 11, 20), d(2026, 11, 30)), (d(2027, 1, 1), d(2027, 1, 3))],
        (d(2026, 12, 1), d(2027, 1, 1)))
    assert split_months(d(2026, 11, 1), d(2027, 1, 31)) == ([], (d(2026, 11, 1), d(2027, 2, 1)))
    assert split_months(d(2026, 12, 2), d(2026, 12, 30)) == (
        [(d(2026, 12, 2), d(2026, 12, 30))], None)
    assert split_months(d(2026, 12, 1), d(2026, 12, 31)) == ([], (d(2026, 12, 1), d(2027, 1, 1)))


async def _kpis(session: AsyncSession, ws: int, flt: ReportFilter,
                by: str | None = None) -> dict[str, dict[str, Any]]:
    """Return the KPIs without agent occupancy (read per local day, not from these rollups)."""
    found = await kpis(session, workspace_id=ws, flt=flt, by=by)
    return {key: {name: value for name, value in row.items() if name not in OCCUPANCY_KEYS}
            for key, row in found.items()}


async def _both(session: AsyncSession, ws: int, calendar: Calendar, first: dt.date,
                last: dt.date, by: str | None = None, **slices: Any
                ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the KPIs of whole days (rollups) and of the same instants (facts or hourly)."""
    whole = day_filter(calendar, first, last, **slices)
    instants = replace(whole, days=None)
    return (await _kpis(session, ws, whole, by), await _kpis(session, ws, instants, by))


async def _calendar(session: AsyncSession, ws: int) -> Calendar:
    return workspace_calendar(await get_workspace(session, workspace_id=ws))


async def test_two_slices_and_a_slice_by_another_read_the_pair_rows_as_the_facts_answer(
        session: AsyncSession, owner: Persona) -> None:
    ws = owner.workspace_id
    (first_team, second_team), _ids = await build(session, ws)
    calendar = await _calendar(session, ws)
    cases: list[tuple[str | None, dict[str, Any]]] = [
        (None, {"channel": SMS, "team_id": first_team}),
        (None, {"team_id": second_team, "language": "en"}),
        ("team", {"channel": CHAT}), ("channel", {"team_id": first_team}),
        ("language", {"channel": SMS}), ("channel", {"language": "ko"}),
        ("team", {"channel": SMS, "team_id": first_team}),
    ]
    for first, last in RANGES:
        for by, slices in cases:
            flt = day_filter(calendar, first, last, **slices)
            cell = flt.rollup_cell(by)
            assert cell is not None and "+" in cell.dimension, (by, slices)
            pairs, facts = await _both(session, ws, calendar, first, last, by, **slices)
            assert pairs == facts, (first, last, by, slices)
    # the answer is not empty: SMS of the first team, 2026-11-20..2027-01-03, is 12-01 and 01-05
    pairs, _facts = await _both(session, ws, calendar, *RANGES[0], channel=SMS,
                                team_id=first_team)
    assert pairs[""]["conversations"] == 1  # 01-05 is after the 3rd
    by_team, _facts = await _both(session, ws, calendar, *RANGES[1], by="team", channel=CHAT)
    assert {key: row["conversations"] for key, row in by_team.items()} == {
        str(first_team): 3, str(second_team): 2}
    # agent beside another slice has no pair: the facts answer
    assert day_filter(calendar, *RANGES[0], channel=SMS, agent_id=1).rollup_cell(None) is None
    # the heatmap of two slices reads the pair's hour columns
    whole = day_filter(calendar, *RANGES[1], channel=SMS, team_id=first_team)
    assert await heatmap(session, workspace_id=ws, flt=whole, calendar=calendar) == \
        await heatmap(session, workspace_id=ws, flt=replace(whole, days=None),
                      calendar=calendar)


async def test_whole_months_read_the_monthly_rows_as_the_days_answer(
        session: AsyncSession, owner: Persona, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = owner.workspace_id
    (first_team, _second), _ids = await build(session, ws)
    calendar = await _calendar(session, ws)
    for first, last in RANGES:
        whole = day_filter(calendar, first, last)
        instants = replace(whole, days=None)
        for by in (None, "channel", "team", "language", "agent"):
            assert await _kpis(session, ws, whole, by) == \
                await _kpis(session, ws, instants, by), (first, last, by)
        assert await survey_distribution(session, workspace_id=ws, flt=whole) == \
            await survey_distribution(session, workspace_id=ws, flt=instants)
        assert await bot_report(session, workspace_id=ws, flt=whole) == \
            await bot_report(session, workspace_id=ws, flt=instants)
    everything = day_filter(calendar, *RANGES[1])
    total = (await kpis(session, workspace_id=ws, flt=everything))[""]
    assert (total["conversations"], total["csat_responses"]) == (9, 7)
    # past EXACT_LIMIT the medians come from the summed histograms: monthly and daily rows,
    # and pair rows, within a bucket of the exact figures
    exact = [(await kpis(session, workspace_id=ws, flt=flt))[""] for flt in (
        everything, day_filter(calendar, *RANGES[0], channel=SMS, team_id=first_team))]
    monkeypatch.setattr(reports, "EXACT_LIMIT", 0)
    approx = [(await kpis(session, workspace_id=ws, flt=flt))[""] for flt in (
        everything, day_filter(calendar, *RANGES[0], channel=SMS, team_id=first_team))]
    for exact_one, approx_one in zip(exact, approx, strict=True):
        for key in ("first_response_seconds_median", "resolution_seconds_p90"):
            assert exact_one[key] / 1.25 <= approx_one[key] <= exact_one[key] * 1.25, key
        assert approx_one["conversations"] == exact_one["conversations"]


async def _daily_rows(session: AsyncSession, ws: int) -> dict[tuple[str, str, object], tuple]:
    rows = await session.execute(select(daily_rollups).where(daily_rollups.c.workspace_id == ws))
    found = {}
    for r in rows:
        values = tuple(round(r._mapping[n], 3) for n in DAILY_COUNTERS)
        if any(values):
            found[(r.dimension, r.key, r.day)] = values
    return found


async def test_a_fact_that_moves_or_goes_leaves_its_old_pair_and_month_cells(
        session: AsyncSession, owner: Persona, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = owner.workspace_id
    (first_team, second_team), ids = await build(session, ws)
    calendar = await _calendar(session, ws)
    december = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    before, _facts = await _both(session, ws, calendar, *december, channel=CHAT,
                                 team_id=first_team)
    assert before[""]["conversations"] == 1  # 12-10
    moved = await session.get(Conversation, ids[4])  # 12-10, chat, first team
    assert moved is not None
    moved.team_id, moved.channel = second_team, SMS
    await session.flush()
    await do_refresh_fact(session, workspace_id=ws, conversation_id=ids[4], now=NOW)
    for slices in ({"channel": CHAT, "team_id": first_team},
                   {"channel": SMS, "team_id": second_team}):
        pairs, facts = await _both(session, ws, calendar, *december, **slices)
        assert pairs == facts
    after, _facts = await _both(session, ws, calendar, *december, channel=CHAT,
                                team_id=first_team)
    assert after[""]["conversations"] == 0
    by_team, _facts = await _both(session, ws, calendar, *december, by="team", channel=SMS)
    assert by_team[str(second_team)]["conversations"] == 2
    # a refresh that finds the conversation gone (its fact still there) takes the fact out of
    # every cell (the database's cascade would delete the fact without telling the rollups)
    real = service.load_snapshot

    async def gone(session: AsyncSession, *, workspace_id: int, conversation_id: int) -> Any:
        if conversation_id == ids[5]:  # 12-31, SMS, second team
            return None
        return await real(session, workspace_id=workspace_id, conversation_id=conversation_id)

    monkeypatch.setattr(service, "load_snapshot", gone)
    await do_refresh_fact(session, workspace_id=ws, conversation_id=ids[5], now=NOW)
    by_team, facts = await _both(session, ws, calendar, *december, by="team", channel=SMS)
    assert by_team == facts and by_team[str(second_team)]["conversations"] == 1
    # event by event gives the rows a rebuild (`omnidesk report rebuild`) writes
    incremental = await _daily_rows(session, ws)
    assert any(key[0] == "month:channel+team" for key in incremental)
    await do_rebuild_rollups(session, workspace_id=ws)
    assert await _daily_rows(session, ws) == incremental


def test_a_filter_reads_the_facts_when_no_pair_answers() -> None:
    since = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    days = ReportFilter(since=since, until=since + dt.timedelta(days=1),
                        days=(since.date(), since.date()))
    assert days.rollup_cell("agent") == reports.RollupCell("agent")
    assert replace(days, channel="web", team_id=2).rollup_cell(None) == reports.RollupCell(
        "channel+team", "web|2")
    assert replace(days, team_id=2).rollup_cell("channel") == reports.RollupCell(
        "channel+team", fixed=(1, "2"), part=0)
    assert replace(days, channel="web").rollup_cell("channel") == reports.RollupCell(
        "channel", "web")
    for flt, by in ((replace(days, channel="web", team_id=2, language="ko"), None),
                    (replace(days, channel="web", intent="refund"), None),
                    (replace(days, channel="web", team_id=2), "language"),
                    (replace(days, channel="web"), "agent"),
                    (replace(days, channel="web", team_id=2, days=None), None)):
        assert flt.rollup_cell(by) is None, (flt, by)


async def test_a_fact_change_binds_only_the_counters_it_moves(session: AsyncSession,
                                                             owner: Persona) -> None:
    """A daily row has ~335 counters; a change moves a few, and its upsert sends only those
    (every counter on every row was thousands of values per message, for the same sums)."""
    ws = owner.workspace_id
    sent: list[dict[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
               executemany: bool) -> None:
        if statement.startswith("INSERT INTO analytics_daily_rollups"):
            sent.extend(parameters if executemany else [parameters])

    engine = session.bind.sync_engine  # type: ignore[union-attr]
    event.listen(engine, "before_cursor_execute", record)
    try:
        _teams, ids = await build(session, ws)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(sent) >= 15 * len(ids)  # each fact's daily, pair and monthly cells
    widest = max(len(row) if isinstance(row, dict | list | tuple) else 0 for row in sent)
    assert widest < len(DAILY_COUNTERS) // 4, widest
    incremental = await _daily_rows(session, ws)
    await do_rebuild_rollups(session, workspace_id=ws)
    assert await _daily_rows(session, ws) == incremental
