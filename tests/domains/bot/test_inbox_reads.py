"""The bot reads the conversation's inbox only for a turn that needs its greeting or hours."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from omnidesk.domains.engagement.actions import do_ensure_web_inbox
from tests.domains.bot.conftest import DELIVERED, Chat, Store


async def test_a_turn_without_greeting_handoff_or_hours_does_not_reload_the_inbox(
        engine: AsyncEngine, session, session_factory, store: Store) -> None:
    inbox = await do_ensure_web_inbox(session, workspace_id=store.workspace_id)
    inbox.greeting = {"ko": "한빛 웹채팅입니다.", "en": "Hanbit web chat."}
    await session.commit()
    chat = Chat(session_factory, store.workspace_id, ("user_id", "u-minji", True),
                inbox_id=inbox.id)
    first = await chat.say(f"{DELIVERED} 주문 교환하고 싶어요")
    assert first and not first.startswith("한빛 웹채팅입니다.")  # the chat window greets
    inbox_reads: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if "FROM inboxes" in statement:
            inbox_reads.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        listing = await chat.say("1")
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert listing and "한빛 웹채팅" not in listing
    assert inbox_reads == []
