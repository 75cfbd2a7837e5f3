"""An inbox's own default queue, hours and greeting are what routing, bot and widget use."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.engagement.actions import do_ensure_web_inbox
from omnidesk.domains.routing.models import QueueEntry
from omnidesk.domains.routing.service import get_conversation_calendar
from omnidesk.domains.workspaces.actions import do_create_workspace
from omnidesk.domains.workspaces.schemas import WEEKDAYS, WorkspaceCreate
from omnidesk.domains.workspaces.service import workspace_calendar
from tests.domains.bot.conftest import Chat, make_store
from tests.domains.inboxes.test_inboxes import ALICE, BOB, Desk, desk, twilio  # noqa: F401
from tests.domains.routing.routing_setup import make_queue
from tests.web.widget_helpers import start_session, widget_headers


async def test_unmatched_conversations_go_to_their_inbox_default_queue(
        desk: Desk) -> None:  # noqa: F811 (the fixture imported above)
    ws = desk.owner.workspace_id
    headquarters = await make_queue(desk.session, ws, "본사", is_default=True)
    busan_queue = await make_queue(desk.session, ws, "부산")
    await desk.session.commit()
    busan = desk.inboxes["부산 매장"]["id"]
    missing = await desk.client.patch(f"/api/v1/inboxes/{busan}", headers=desk.owner.headers,
                                      json={"default_queue_id": busan_queue + 1000})
    assert missing.status_code == 422 and "no such routing queue" in missing.text
    answer = await desk.client.patch(f"/api/v1/inboxes/{busan}", headers=desk.owner.headers,
                                     json={"default_queue_id": busan_queue})
    assert answer.status_code == 200, answer.text

    await desk.text("서울 매장", ALICE, "문의드려요", "SM" + "7" * 32)
    await desk.text("부산 매장", BOB, "문의드려요", "SM" + "8" * 32)
    await desk.dispatcher.drain()
    entries = {e.conversation_id: e.queue_id for e in
               (await desk.session.scalars(select(QueueEntry))).all()}
    assert entries[(await desk.conversation_of("부산 매장")).id] == busan_queue
    assert entries[(await desk.conversation_of("서울 매장")).id] == headquarters


async def test_an_inbox_open_while_the_workspace_is_closed_is_open_for_bot_widget_and_routing(
        client: httpx.AsyncClient, session: AsyncSession, session_factory) -> None:
    ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(slug="night", name="N"))
    today = dt.datetime.now(ZoneInfo("Asia/Seoul")).date().isoformat()
    closed = {"timezone": "Asia/Seoul", "holidays": [today],  # the workspace is closed today
              "weekly": {d: [["09:00", "18:00"]] for d in WEEKDAYS}}
    await make_store(session, ws.id, hours=closed)
    web = await do_ensure_web_inbox(session, workspace_id=ws.id)
    web.hours = {"weekly": {}, "holidays": []}  # this inbox answers around the clock
    web.greeting = {"ko": "강남점 상담 채널입니다"}
    await session.commit()
    assert not workspace_calendar(ws).is_open(utcnow())

    chat = Chat(session_factory, ws.id, ("user_id", "u-minji", True))
    visitor = await start_session(client, "night")

    async def say(text: str, n: int) -> str:
        sent = await client.post("/widget/api/messages", json={
            "text": text, "client_message_id": f"msg-000{n}"},
            headers=widget_headers("night", visitor["token"]))
        assert sent.status_code == 201, sent.text
        message = await session.get(Message, sent.json()["id"])
        assert message is not None
        chat.conversation_id = message.conversation_id
        await chat.drain()
        return "\n".join(m.text for m in await chat.bot_messages(after_id=message.id))

    hours = await say("영업시간이 어떻게 되나요?", 1)
    assert "강남점 상담 채널입니다" not in hours  # one greeting: the chat window's (below)
    assert "연중무휴 24시간" in hours and "상담 시간이 아니에요" not in hours
    handoff = await say("사람이랑 얘기하고 싶어요", 2)
    assert handoff and "상담 시간이 아니에요" not in handoff  # a person answers now
    conv = await chat.conversation()
    assert conv.inbox_id == web.id and conv.owner == "queued"
    calendar = await get_conversation_calendar(session, workspace_id=ws.id,
                                               conversation_id=conv.id)
    assert calendar.is_open(utcnow())

    state = await client.get("/widget/api/state", params={"workspace": "night"})
    assert state.status_code == 200 and state.json()["open"] is True
    frame = await client.get("/widget/frame", params={"workspace": "night"},
                             headers={"accept-language": "ko"})
    assert "강남점 상담 채널입니다" in frame.text
