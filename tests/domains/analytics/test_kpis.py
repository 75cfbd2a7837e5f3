"""Every KPI on a hand-built history with known answers, on SQLite and PostgreSQL.

The workspace keeps the default hours (Mon–Fri 09:00–18:00, Asia/Seoul); 2026-12-11 is a Friday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.analytics import reports
from omnidesk.domains.analytics.actions import (
    do_rebuild,
    do_rebuild_rollups,
    do_refresh_fact,
    do_settle_due_facts,
)
from omnidesk.domains.analytics.models import (
    COUNTERS,
    DAILY_COUNTERS,
    ConversationFact,
    KpiRollup,
    daily_rollups,
)
from omnidesk.domains.analytics.reports import ReportFilter, backlog, kpis
from omnidesk.domains.analytics.tables import (
    bot_report,
    daily_series,
    heatmap,
    survey_distribution,
)
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.feedback.models import SurveyAnswer
from omnidesk.domains.retention.erasure_actions import do_erase_customer
from omnidesk.domains.workspaces.service import get_workspace, workspace_calendar
from tests.conftest import Persona
from tests.domains.analytics.history import SMS, Story, add_customer, add_story, kst

NOW = kst(30, 12)
DECEMBER = ReportFilter(since=kst(1, 0), until=kst(31, 0))


async def build(session: AsyncSession, ws: int) -> dict[str, int]:
    """Store the eight conversations every test here reads (see the module docstring)."""
    a, b, c, d, e = [await add_customer(session, ws, name) for name in "ABCDE"]
    ids = {
        # Friday 17:30 to Monday 09:30: 64 h on the clock, 1 h of business hours.
        "c1": await add_story(session, ws, a, Story(
            created=kst(11, 17, 30), agent_replies=[kst(14, 9, 30), kst(14, 9, 50)],
            resolved=kst(14, 10), intent="refund")),
        # A came back four days later (c1 is not FCR); c2 was reopened once.
        "c2": await add_story(session, ws, a, Story(
            created=kst(18, 10), channel=SMS, agent_replies=[kst(18, 10, 10)],
            resolved=kst(18, 10, 30), reopened=1)),
        # B's next contact is eight days later: FCR.
        "c3": await add_story(session, ws, b, Story(
            created=kst(8, 10), agent_replies=[kst(8, 10, 5), kst(8, 10, 20), kst(8, 10, 40)],
            resolved=kst(8, 11), scores={"csat": 5, "nps": 10})),
        "c4": await add_story(session, ws, b, Story(
            created=kst(16, 11, 30), bot_replies=[kst(16, 11, 31), kst(16, 11, 33)],
            customer_messages=[kst(16, 11, 30), kst(16, 11, 32)], thanked=True)),
        "c5": await add_story(session, ws, c, Story(created=kst(9, 14),
                                                   bot_replies=[kst(9, 14, 1)])),
        "c6": await add_story(session, ws, d, Story(
            created=kst(10, 15), bot_replies=[kst(10, 15, 1)], handoff="customer_request",
            agent_replies=[kst(10, 15, 20)], resolved=kst(10, 16), intent="refund",
            scores={"csat": 2, "nps": 3})),
        # E wrote again the next day: the bot's answer is not assumed to have helped.
        "c7": await add_story(session, ws, e, Story(created=kst(21, 9),
                                                   bot_replies=[kst(21, 9, 1)])),
        "c8": await add_story(session, ws, e, Story(created=kst(22, 9))),
    }
    await session.commit()
    return ids


EXPECTED = {
    "conversations": 8, "first_responses": 4, "resolved": 4,
    "first_response_seconds_median": 900.0, "first_response_seconds_p90": 161640.0,
    "first_response_business_seconds_median": 900.0,
    "first_response_business_seconds_p90": 2880.0,
    "first_response_within_target_rate": 1.0,
    "resolution_seconds_average": 60300.0, "resolution_business_seconds_median": 3600.0,
    "replies_per_resolution": 1.75, "reopen_rate": 0.25, "fcr_rate": 0.5,
    "bot_conversations": 4, "handoff_rate": 0.25, "self_service_confirmed_rate": 0.25,
    "self_service_assumed_rate": 0.25, "csat_average": 3.5, "csat_satisfied_rate": 0.5,
    "csat_responses": 2, "nps": 0.0, "nps_responses": 2, "ces_average": None,
    "sla_attainment": None,
}


async def test_every_kpi_has_its_known_value(session: AsyncSession, owner: Persona) -> None:
    ids = await build(session, owner.workspace_id)
    await do_rebuild(session, workspace_id=owner.workspace_id, now=NOW)
    await session.commit()
    result = (await kpis(session, workspace_id=owner.workspace_id, flt=DECEMBER))[""]
    assert {key: result[key] for key in EXPECTED} == EXPECTED
    c1 = await session.scalar(select(ConversationFact).where(
        ConversationFact.conversation_id == ids["c1"]))
    assert c1 is not None
    assert (c1.first_response_seconds, c1.first_response_business_seconds) == (230400, 3600)
    assert (c1.resolution_seconds, c1.resolution_business_seconds) == (232200, 5400)
    assert c1.hour_of_week == 4 * 24 + 17  # Friday 17:00 local
    assert (await backlog(session, workspace_id=owner.workspace_id, now=NOW))[
        "backlog_open"] == 4


async def test_a_slice_reads_the_facts_and_agrees_with_the_rollups(
        session: AsyncSession, owner: Persona) -> None:
    await build(session, owner.workspace_id)
    await do_rebuild(session, workspace_id=owner.workspace_id, now=NOW)
    by_channel = await kpis(session, workspace_id=owner.workspace_id, flt=DECEMBER, by="channel")
    assert by_channel[SMS]["conversations"] == 1
    assert by_channel[SMS]["reopen_rate"] == 1.0
    # Two slices cannot come from one rollup dimension: the facts answer, by the same rule.
    sliced = ReportFilter(since=DECEMBER.since, until=DECEMBER.until, channel=SMS,
                          language="ko")
    assert (await kpis(session, workspace_id=owner.workspace_id, flt=sliced))[""] == \
        by_channel[SMS]
    # A breakdown of a slice too (on PostgreSQL one scan sums and takes the percentiles).
    korean = ReportFilter(since=DECEMBER.since, until=DECEMBER.until, language="ko")
    assert await kpis(session, workspace_id=owner.workspace_id, flt=korean, by="channel") == \
        by_channel
    by_intent = await kpis(session, workspace_id=owner.workspace_id, flt=DECEMBER, by="intent")
    assert by_intent["refund"]["conversations"] == 2
    assert by_intent["refund"]["first_response_seconds_median"] == (230400 + 1200) / 2


async def test_events_one_by_one_give_the_rollups_of_a_rebuild(
        session: AsyncSession, owner: Persona) -> None:
    ids = await build(session, owner.workspace_id)
    early = kst(12, 12)  # before c3's seven days and c5's 72 hours have passed
    for conversation_id in ids.values():
        await do_refresh_fact(session, workspace_id=owner.workspace_id,
                              conversation_id=conversation_id, now=early)
    c3 = await session.scalar(select(ConversationFact).where(
        ConversationFact.conversation_id == ids["c3"]))
    assert c3 is not None and c3.fcr is None and c3.settles_at == kst(15, 11)
    assert await do_settle_due_facts(session, now=NOW) >= 2
    incremental = await _rollups(session, owner.workspace_id)
    await do_rebuild(session, workspace_id=owner.workspace_id, now=NOW)
    assert await _rollups(session, owner.workspace_id) == incremental
    result = (await kpis(session, workspace_id=owner.workspace_id, flt=DECEMBER))[""]
    assert (result["fcr_rate"], result["self_service_assumed_rate"]) == (0.5, 0.25)


async def _rollups(session: AsyncSession, ws: int) -> dict[tuple[str, str, object], tuple]:
    rows = await session.scalars(select(KpiRollup).where(KpiRollup.workspace_id == ws))
    found: dict[tuple[str, str, object], tuple] = {
        (r.dimension, r.key, r.hour): tuple(round(getattr(r, n), 3) for n in COUNTERS)
        for r in rows if any(getattr(r, n) for n in COUNTERS)}
    daily = await session.execute(select(daily_rollups).where(daily_rollups.c.workspace_id == ws))
    for r in daily:
        values = tuple(round(r._mapping[n], 3) for n in DAILY_COUNTERS)
        if any(values):
            found[(r.dimension, r.key, r.day)] = values
    return found


WHOLE_DECEMBER = ReportFilter(since=DECEMBER.since, until=DECEMBER.until,
                              days=(dt.date(2026, 12, 1), dt.date(2026, 12, 30)))


async def test_the_daily_rollups_answer_as_the_facts_do(session: AsyncSession,
                                                        owner: Persona) -> None:
    await build(session, owner.workspace_id)
    await do_rebuild(session, workspace_id=owner.workspace_id, now=NOW)
    ws = owner.workspace_id
    assert len((await session.execute(select(daily_rollups.c.id).where(
        daily_rollups.c.workspace_id == ws))).all()) > 0
    # Whole local days read the daily rollups; the same instants without days read the hourly
    # rollups or the facts: every table agrees.
    assert await kpis(session, workspace_id=ws, flt=WHOLE_DECEMBER, by="channel") == \
        await kpis(session, workspace_id=ws, flt=DECEMBER, by="channel")
    assert await survey_distribution(session, workspace_id=ws, flt=WHOLE_DECEMBER) == \
        await survey_distribution(session, workspace_id=ws, flt=DECEMBER)
    assert await bot_report(session, workspace_id=ws, flt=WHOLE_DECEMBER) == \
        await bot_report(session, workspace_id=ws, flt=DECEMBER)
    calendar = workspace_calendar(await get_workspace(session, workspace_id=ws))
    assert await daily_series(session, workspace_id=ws, flt=WHOLE_DECEMBER,
                              calendar=calendar) == await daily_series(
        session, workspace_id=ws, flt=DECEMBER, calendar=calendar)


async def test_the_heatmap_of_whole_days_agrees_with_the_hours_and_the_facts(
        session: AsyncSession, owner: Persona) -> None:
    ids = await build(session, owner.workspace_id)
    ws = owner.workspace_id
    for conversation_id in ids.values():  # kept up to date event by event, like the rollups
        await do_refresh_fact(session, workspace_id=ws, conversation_id=conversation_id, now=NOW)
    calendar = workspace_calendar(await get_workspace(session, workspace_id=ws))

    async def heat(flt: ReportFilter) -> list[dict[str, Any]]:
        return await heatmap(session, workspace_id=ws, flt=flt, calendar=calendar)

    whole = await heat(WHOLE_DECEMBER)  # one daily row a day, hour columns per weekday
    assert whole == await heat(DECEMBER)  # the hourly rollups
    # c1, Friday 17:30: 64 h to the first reply; c3 at 10:00 on Tuesday the 8th, c8 at 09:00
    # on Tuesday the 22nd.
    assert whole[4 * 24 + 17]["conversations"] == 1
    assert whole[4 * 24 + 17]["first_response_seconds_average"] == 230400.0
    assert whole[1 * 24 + 10]["conversations"] == 1 and whole[1 * 24 + 9]["conversations"] == 1
    assert sum(cell["conversations"] for cell in whole) == 8
    # One slice reads its dimension's rows; two slices count the facts: the same cells.
    sms = replace(WHOLE_DECEMBER, channel=SMS)
    assert await heat(sms) == await heat(replace(sms, language="ko"))
    assert [c["hour_of_week"] for c in await heat(sms) if c["conversations"]] == [4 * 24 + 10]
    # A rebuild (``omnidesk report rebuild``) gives the same rows as the events did.
    await do_rebuild_rollups(session, workspace_id=ws)
    assert await heat(WHOLE_DECEMBER) == whole
    assert await heat(replace(WHOLE_DECEMBER, days=(dt.date(2026, 12, 12),
                                                    dt.date(2026, 12, 30)))) == await heat(
        replace(DECEMBER, since=kst(12, 0)))


async def test_large_periods_take_medians_from_the_histograms_within_a_bucket(
        session: AsyncSession, owner: Persona, monkeypatch: pytest.MonkeyPatch) -> None:
    await build(session, owner.workspace_id)
    await do_rebuild(session, workspace_id=owner.workspace_id, now=NOW)
    exact = (await kpis(session, workspace_id=owner.workspace_id, flt=WHOLE_DECEMBER))[""]
    monkeypatch.setattr(reports, "EXACT_LIMIT", 0)  # as if the period held millions
    approx = (await kpis(session, workspace_id=owner.workspace_id, flt=WHOLE_DECEMBER))[""]
    for key in ("first_response_seconds_median", "first_response_business_seconds_median",
                "resolution_seconds_median", "resolution_business_seconds_median"):
        assert exact[key] / 1.25 <= approx[key] <= exact[key] * 1.25, (key, exact, approx)
    assert approx["conversations"] == exact["conversations"]
    assert reports.histogram_quantile([0, 0, 4], 0.5) == pytest.approx(1.25 ** 1.5 / 1.0, 0.01)
    assert reports.histogram_quantile([0] * 72, 0.5) is None


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_other_workspaces_see_nothing(session: AsyncSession, owner: Persona,
                                            outsider: Persona) -> None:
    await build(session, owner.workspace_id)
    await do_rebuild(session, workspace_id=owner.workspace_id, now=NOW)
    result = (await kpis(session, workspace_id=outsider.workspace_id, flt=DECEMBER))[""]
    assert result["conversations"] == 0 and result["fcr_rate"] is None


async def test_erasing_a_customer_keeps_every_figure_and_a_rebuild_agrees(
        session: AsyncSession, owner: Persona, tmp_path: Path) -> None:
    """Erasure anonymises the person; the reports keep counting their conversations."""
    ids = await build(session, owner.workspace_id)
    await do_rebuild(session, workspace_id=owner.workspace_id, now=NOW)
    await session.commit()

    async def figures() -> list[dict[str, Any]]:
        return [await kpis(session, workspace_id=owner.workspace_id, flt=DECEMBER, by=by)
                for by in (None, "channel", "intent")]

    before = await figures()
    customer_id = (await session.get(Conversation, ids["c6"])).customer_id  # CSAT 2, refund
    await session.execute(update(SurveyAnswer).where(SurveyAnswer.conversation_id == ids["c6"])
                          .values(comment="배송기사 010-1234-5678 불친절"))
    await do_erase_customer(session, actor=owner.admin, customer_id=customer_id,
                            upload_dir=tmp_path)
    await session.commit()
    assert await session.scalar(select(ConversationFact.id).where(
        ConversationFact.conversation_id == ids["c6"])) is not None
    assert await figures() == before
    answers = (await session.execute(select(SurveyAnswer.score, SurveyAnswer.comment).where(
        SurveyAnswer.conversation_id == ids["c6"]))).all()
    assert sorted(answers) == [(2, ""), (3, "")]  # the scores stay, the words go
    await do_rebuild(session, workspace_id=owner.workspace_id, now=NOW)
    assert await figures() == before
