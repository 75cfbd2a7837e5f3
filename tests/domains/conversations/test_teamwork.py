"""Teamwork: @mentions in private notes, a supervisor's whisper (never sent to the customer on
any channel) and take-over, and the supervisor board's attention list (both databases)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.app.subscribers import build_registry
from omnidesk.channels.manifests import KINDS
from omnidesk.config import Settings
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.errors import PermissionDenied
from omnidesk.core.events import EventDelivery, OutboxEvent
from omnidesk.domains.agents.models import User
from omnidesk.domains.conversations.actions import check_post_message
from omnidesk.domains.conversations.mention_actions import do_mark_mentions_seen, mentioned_users
from omnidesk.domains.conversations.models import Conversation, Message, MessageMention
from omnidesk.domains.conversations.schemas import MessageCreate
from omnidesk.domains.conversations.service import (
    count_unseen_mentions,
    list_mentions,
    list_reopened,
)
from omnidesk.domains.conversations.team_actions import check_take_over, check_whisper
from tests.conftest import Persona
from tests.domains.search.test_search import say


async def test_a_note_mentioning_a_colleague_notifies_them_once(
        session: AsyncSession, owner: Persona) -> None:
    conv = await say(session, owner.workspace_id, "환불 문의", "+821012121212")
    note, _ = await check_post_message(session, actor=owner.agent, conversation_id=conv.id,
                                       message_in=MessageCreate(
                                           text="@Admin 이 건 확인 부탁드려요 010-3434-5656 @nobody",
                                           is_private=True))
    public, _ = await check_post_message(session, actor=owner.agent, conversation_id=conv.id,
                                         message_in=MessageCreate(text="@Admin 안녕하세요"))
    await session.commit()
    mentions = await list_mentions(session, actor=owner.admin)
    assert [(m.user_id, m.message_id) for m, _ in mentions] == [(owner.admin.user_id, note.id)]
    assert await count_unseen_mentions(session, actor=owner.admin) == 1
    assert await count_unseen_mentions(session, actor=owner.agent) == 0  # not the author
    events = (await session.scalars(select(OutboxEvent.payload).where(
        OutboxEvent.name == "mention.created"))).all()
    assert [e["user_id"] for e in events] == [owner.admin.user_id]  # the public reply: none
    assert "010-****-5656" in events[0]["text"]  # masked: it goes to a colleague's screen
    await do_mark_mentions_seen(session, actor=owner.admin)
    await session.commit()
    assert await count_unseen_mentions(session, actor=owner.admin) == 0
    assert public.id != note.id


async def test_a_whisper_is_never_delivered_to_the_customer_on_any_channel(
        session: AsyncSession, owner: Persona, settings: Settings,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    whispers = []
    for i, kind in enumerate(KINDS):
        conv = await say(session, owner.workspace_id, "문의", f"+8210000011{i:02d}", channel=kind)
        whispers.append((await check_whisper(session, actor=owner.admin,
                                             conversation_id=conv.id,
                                             text="고객에게 환불 규정부터 안내하세요")).id)
    await session.commit()
    with pytest.raises(PermissionDenied):  # agents cannot whisper
        await check_whisper(session, actor=owner.agent, conversation_id=conv.id, text="x")
    await Dispatcher(session_factory, build_registry(settings),
                     DispatcherConfig(backoff_base_seconds=0)).drain()
    session.expire_all()
    rows = (await session.execute(select(Message.id, Message.is_private, Message.meta,
                                         Message.delivery_status, Message.provider_message_id)
                                  .where(Message.id.in_(whispers)))).all()
    assert len(rows) == len(KINDS)
    for _, private, meta, status, provider_id in rows:
        assert private and meta.get("whisper") and "sent" not in meta
        assert status is None and provider_id is None
    created = {e.id for e in (await session.scalars(select(OutboxEvent).where(
        OutboxEvent.name == "message.created"))).all()
        if e.payload["message_id"] in whispers}
    subscribers = set((await session.scalars(select(EventDelivery.subscriber).where(
        EventDelivery.event_id.in_(created)))).all())
    assert "channels.deliver_message" not in subscribers


async def test_a_supervisor_takes_over_and_reopened_conversations_need_attention(
        session: AsyncSession, owner: Persona) -> None:
    conv = await say(session, owner.workspace_id, "배송 문의", "+821034343434")
    conv.assignee_id = owner.agent.user_id
    conv.reopened_count = 1
    await session.commit()
    with pytest.raises(PermissionDenied):
        await check_take_over(session, actor=owner.agent, conversation_id=conv.id)
    taken = await check_take_over(session, actor=owner.admin, conversation_id=conv.id)
    await session.commit()
    assert taken.assignee_id == owner.admin.user_id
    assert [c.id for c in await list_reopened(session, actor=owner.admin)] == [conv.id]
    assert await session.scalar(select(MessageMention.id)) is None
    assert isinstance(taken, Conversation)


def test_a_mention_may_carry_the_korean_honorific() -> None:
    """"@이도현님" and "@이도현 님" both name 이도현 (as Korean colleagues write it); "@이도현님들"
    and a longer name that merely starts the same do not."""
    dohyun = User(name="이도현", email="dohyun.lee@acme.example", is_active=True)
    other = User(name="이도", email="ido@acme.example", is_active=True)
    for text in ("@이도현님 확인 부탁드려요", "@이도현씨, 확인해 주세요", "@이도현 님 확인 부탁드려요"):
        assert mentioned_users(text, [dohyun, other]) == [dohyun], text
    assert mentioned_users("@이도현님들 모두 확인해 주세요", [dohyun, other]) == []
