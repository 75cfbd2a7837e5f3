"""Every consumer of business hours gives the same answer, because they all ask one calendar.

One table of calendar cases (no hours, a normal day, overnight, till-midnight, a holiday, Seoul
vs New York across the March daylight-saving switch); for each instant, routing's queue-hours
endpoint, the SLA clock, the bot's "when will a person answer", the widget's away-state endpoint
and the help center's displayed hours must all say open, or all say closed.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.routing.models import SlaPolicyRow
from omnidesk.domains.routing.sla.actions import do_check_sla
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.service import workspace_calendar
from tests.conftest import Persona
from tests.domains.bot.conftest import Chat, make_store
from tests.domains.routing.routing_setup import make_conversation, make_queue

SEOUL, NEW_YORK = ZoneInfo("Asia/Seoul"), ZoneInfo("America/New_York")
WORKDAYS = ("mon", "tue", "wed", "thu", "fri")
OFFICE = {"weekly": {d: [["09:00", "18:00"]] for d in WORKDAYS}, "holidays": ["2026-12-25"]}
NIGHT = {"weekly": {"mon": [["22:00", "02:00"]]}}
LATE = {"weekly": {"fri": [["18:00", "24:00"]]}}
SEOUL_9_17 = {"timezone": "Asia/Seoul", "weekly": {d: [["09:00", "17:00"]] for d in WORKDAYS}}
NY_9_17 = {"timezone": "America/New_York", "weekly": {d: [["09:00", "17:00"]] for d in WORKDAYS}}
WINDOW = dt.timedelta(minutes=10)  # the SLA clock runs this long before each instant


def kst(month: int, day: int, hour: int, minute: int = 30) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SEOUL)


def utc(month: int, day: int, hour: int, minute: int = 30) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


# (case, business hours stored on the workspace (its time zone: Asia/Seoul), instant, open?)
CASES = [
    ("no hours set: Saturday 03:30", {}, kst(12, 26, 3), True),
    ("normal day: Monday 10:30", OFFICE, kst(12, 21, 10), True),
    ("normal day: Monday 20:30", OFFICE, kst(12, 21, 20), False),
    ("normal day: Saturday 10:30", OFFICE, kst(12, 26, 10), False),
    ("overnight: Monday 23:30", NIGHT, kst(12, 21, 23), True),
    ("overnight: Tuesday 01:30 is Monday's", NIGHT, kst(12, 22, 1), True),
    ("overnight: Tuesday 02:30", NIGHT, kst(12, 22, 2), False),
    ("overnight: Monday 21:30", NIGHT, kst(12, 21, 21), False),
    ("till midnight: Friday 23:30", LATE, kst(12, 18, 23), True),
    ("till midnight: Saturday 00:30", LATE, kst(12, 19, 0), False),
    ("holiday: Christmas Friday 10:30", OFFICE, kst(12, 25, 10), False),
    ("holiday: Thursday before 10:30", OFFICE, kst(12, 24, 10), True),
    ("Seoul: 00:30 UTC before the US switch (09:30 KST)", SEOUL_9_17, utc(3, 2, 0), True),
    ("Seoul: 00:30 UTC after the US switch (09:30 KST)", SEOUL_9_17, utc(3, 9, 0), True),
    ("New York: 13:30 UTC before the switch (08:30 EST)", NY_9_17, utc(3, 2, 13), False),
    ("New York: 13:30 UTC after the switch (09:30 EDT)", NY_9_17, utc(3, 9, 13), True),
    ("New York: 21:30 UTC after the switch (17:30 EDT)", NY_9_17, utc(3, 9, 21), False),
]


def freeze_clock(monkeypatch: pytest.MonkeyPatch, at: dt.datetime) -> None:
    """Stop the clock of the consumers that ask 'now' (bot, widget, help center)."""
    for module in ("omnidesk.domains.bot.delivery", "omnidesk.domains.bot.engine",
                   "omnidesk.web.widget", "omnidesk.web.help_center"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: at.astimezone(dt.UTC))


async def routing_says(client, owner: Persona, queue_id: int, at: dt.datetime) -> bool:
    response = await client.get(f"/api/v1/routing/queues/{queue_id}/hours",
                                params={"at": at.isoformat()}, headers=owner.headers)
    assert response.status_code == 200, response.text
    return response.json()["open"]


async def sla_clock_says(session: AsyncSession, owner: Persona, at: dt.datetime) -> bool:
    """Open iff the first-response clock ran during the minutes before the instant."""
    conv_id, _ = await make_conversation(session, owner.admin)
    conv = await session.get(Conversation, conv_id)
    assert conv is not None
    conv.created_at = at - WINDOW
    await session.commit()
    [first] = await do_check_sla(
        session, workspace_id=owner.workspace_id, conversation_id=conv_id, now=at)
    await session.commit()
    assert first.elapsed_seconds in (0.0, WINDOW.total_seconds())
    return first.elapsed_seconds > 0


async def bot_says(session_factory, owner: Persona, number: int) -> bool:
    chat = Chat(session_factory, owner.workspace_id, ("web_visitor", f"v-{number}", False))
    reply = await chat.say("사람이랑 얘기하고 싶어요")
    assert "상담원" in reply, reply
    return "상담 시간이 아니에요" not in reply


async def widget_says(client, owner: Persona) -> bool:
    response = await client.get("/widget/api/state", params={"workspace": owner.slug})
    assert response.status_code == 200, response.text
    return response.json()["open"]


async def help_center_says(client, owner: Persona, summary: str) -> bool:
    page = (await client.get(f"/help/{owner.slug}/ko")).text
    assert summary in page  # the displayed hours are the calendar's
    assert ("지금 상담 가능" in page) != ("지금은 상담 시간이 아니에요" in page)
    return "지금 상담 가능" in page


async def test_every_consumer_gives_the_same_answer_in_every_case(
    client, owner: Persona, session: AsyncSession, session_factory, monkeypatch,
) -> None:
    await make_store(session, owner.workspace_id)  # the bot on, with its handoff notice
    queue_id = await make_queue(session, owner.workspace_id, "general", is_default=True)
    session.add(SlaPolicyRow(workspace_id=owner.workspace_id, name="default", is_default=True,
                             targets={"normal": {"first_response": 86400}}))
    await session.commit()
    table = {}
    for number, (case, hours, at, expected) in enumerate(CASES):
        workspace = await session.get(Workspace, owner.workspace_id)
        assert workspace is not None
        workspace.business_hours = hours
        await session.commit()
        calendar = workspace_calendar(workspace)
        freeze_clock(monkeypatch, at)
        answers = {
            "calendar": calendar.is_open(at),
            "routing": await routing_says(client, owner, queue_id, at),
            "sla": await sla_clock_says(session, owner, at),
            "bot": await bot_says(session_factory, owner, number),
            "widget": await widget_says(client, owner),
            "help center": await help_center_says(client, owner, calendar.weekly_summary("ko")),
        }
        table[case] = (expected, answers)
    wrong = {case: answers for case, (expected, answers) in table.items()
             if set(answers.values()) != {expected}}
    assert not wrong, wrong


async def test_a_queue_with_its_own_hours_is_open_when_the_workspace_is_closed(
    client, owner: Persona, session: AsyncSession,
) -> None:
    workspace = await session.get(Workspace, owner.workspace_id)
    assert workspace is not None
    workspace.business_hours = OFFICE
    await session.commit()
    night = await client.post("/api/v1/routing/queues", headers=owner.headers, json={
        "name": "night desk", "business_hours": {"weekly": NIGHT["weekly"]}})
    assert night.status_code == 201, night.text
    assert night.json()["business_hours"] == {"weekly": NIGHT["weekly"], "holidays": []}
    at = kst(12, 22, 1)  # Tuesday 01:30: inside Monday's night range, outside office hours
    assert await routing_says(client, owner, night.json()["id"], at)
    day = await make_queue(session, owner.workspace_id, "day desk")
    await session.commit()
    assert not await routing_says(client, owner, day, at)
    cleared = await client.patch(f"/api/v1/routing/queues/{night.json()['id']}",
                                 headers=owner.headers, json={"business_hours": None})
    assert cleared.json()["business_hours"] is None
    assert not await routing_says(client, owner, night.json()["id"], at)
