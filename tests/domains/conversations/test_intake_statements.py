"""Intake's statement budget: a constant, small number of SQL statements per inbound message.

A regression guard for N+1 queries and lazy loads on the hot path (counts, never timings);
`bench/message_hot_path.py` measures the speed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from omnidesk.domains.conversations.actions import check_update_conversation, do_receive_inbound
from omnidesk.domains.conversations.schemas import ConversationUpdate, InboundMessage
from tests.conftest import Persona

FIRST_CONTACT_STATEMENTS = 13  # customer + identity + conversation + message + 3 events
STEADY_STATEMENTS = 6  # dedupe, touch customer, find conversation, update it, message, event
DUPLICATE_STATEMENTS = 1  # the dedupe look-up only


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[list[str]]:
    """Collect the SQL statements the engine sends (BEGIN/COMMIT are not cursor executes)."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


def sms(sid: str, phone: str = "+821055550100") -> InboundMessage:
    return InboundMessage(channel="sms", provider_message_id=sid, identity_kind="phone",
                          identity_value=phone, customer_phone=phone, text="배송 언제 와요?")


async def receive(factory: async_sessionmaker[AsyncSession], workspace_id: int,
                  inbound: InboundMessage) -> int:
    async with factory() as session:
        msg = await do_receive_inbound(session, workspace_id=workspace_id, inbound=inbound)
        await session.commit()
        return msg.conversation_id


async def test_an_inbound_message_costs_a_constant_number_of_statements(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    ws = owner.workspace_id
    with counting(engine) as first:
        await receive(session_factory, ws, sms("SM-S1"))
    assert len(first) <= FIRST_CONTACT_STATEMENTS, first
    for n in range(2, 5):  # the same customer again and again: no growth per message
        with counting(engine) as steady:
            await receive(session_factory, ws, sms(f"SM-S{n}"))
        assert len(steady) <= STEADY_STATEMENTS, steady
    with counting(engine) as duplicate:
        await receive(session_factory, ws, sms("SM-S4"))
    assert len(duplicate) <= DUPLICATE_STATEMENTS, duplicate


async def test_labels_skipped_by_intake_still_load_for_a_later_change(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    first = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                     inbound=sms("SM-L1"))
    await check_update_conversation(session, actor=owner.admin,
                                    conversation_id=first.conversation_id,
                                    update=ConversationUpdate(labels=["vip"]))
    await session.commit()
    async with session_factory() as fresh:  # intake loads the conversation without its labels
        again = await do_receive_inbound(fresh, workspace_id=owner.workspace_id,
                                         inbound=sms("SM-L2"))
        conv = await check_update_conversation(
            fresh, actor=owner.admin, conversation_id=again.conversation_id,
            update=ConversationUpdate(labels=["vip", "refund"]))
        await fresh.commit()
    assert again.conversation_id == first.conversation_id
    assert sorted(conv.labels) == ["refund", "vip"]  # "vip" kept, not inserted twice
