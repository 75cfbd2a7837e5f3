"""The cost of one bot-answered inbound message: events, deliveries and SQL statements.

Measured on the first message of a signed-in widget visitor whom the bot answers, from the
one way in (`do_take_inbound`: the raw event, then intake; commit) through the real
dispatcher with the application's subscribers. Before the event
catalogue it cost 4 events, 8 deliveries (4 of which did nothing: routing for a bot-owned
conversation, delivery jobs for an inbound and a widget message, the bot reading its own
reply) and 75 statements, 12 of them dispatcher passes re-reading schedules that were not
due (a dispatcher now remembers when each schedule is due); the budgets keep it from growing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from omnidesk.core.db import utcnow
from omnidesk.core.events import DONE, EventDelivery, OutboxEvent
from omnidesk.core.scheduler import ScheduleState
from omnidesk.domains.conversations.actions import do_take_inbound
from omnidesk.domains.conversations.schemas import InboundMessage, RawInbound
from tests.domains.conversations.test_intake_statements import counting

from .conftest import Chat

EVENTS = ["bot.action_taken", "conversation.created", "message.created", "message.created"]
DELIVERIES = [  # each one acts: screens get the change, the bot answers the customer
    ("conversation.created", "analytics.refresh"),  # the KPI fact and rollups of the new one
    ("conversation.created", "realtime.conversations"),
    ("message.created", "bot.answer"),
    ("message.created", "realtime.fanout"),
    ("message.created", "realtime.fanout"),
]
# intake 13, fan-out and claims, the bot's reads and writes, one check of each schedule by the
# fresh dispatcher (a SELECT and an UPDATE each: routing tick, mail polling, search indexer,
# surveys due, snoozed-conversation wake-up), one read of the automation audience per fan-out
# pass (which workspaces have rules or webhooks on which events) (71), and the analytics fact of
# the new conversation (18: its snapshot, the fact, the rollup upsert) and the analytics
# schedules' first check (4); measured 94 once the retention purge schedule had landed too,
# 96 with the idle-cart schedule of proactive engagement (its first check: a SELECT, an UPDATE),
# 97 since the message enters by the one way in (the raw event's INSERT … RETURNING), and 102
# with the contact-reason retraining schedule's first check (2), the daily rollup upsert (1) and
# the customer's survey answers read with their facts (CSAT from answers, 2 reads of the facts),
# 104 with the knowledge base's scheduled-publish check (its first check: a SELECT, an UPDATE),
# 106 with the agent-occupancy rollup schedule's first check (a SELECT, an UPDATE),
# 107 with the dispatcher's background lane: once nothing else is due, one claim of a
# housekeeping job (an UPDATE that finds none here), after which it is not asked again until
# background work is fanned out or an idle poll passes; 83 once the chat keeps one dispatcher
# across turns, as a running app does (the schedules' checks above belonged to a fresh dispatcher
# per turn: it remembers when each is due, so this turn asks about none of them)
STATEMENTS = 83


async def _say_through_the_way_in(chat: Chat, text: str) -> str:
    """Send the visitor's message as the widget does (raw event + intake), return the reply."""
    kind, value, verified = chat.identity
    key = f"{value}:cost-0001"
    async with chat.session_factory() as session:
        msg, _ = await do_take_inbound(
            session, workspace_id=chat.workspace_id, dedupe_key=key,
            raw=RawInbound.of_json({"text": text, "client_message_id": "cost-0001"}),
            inbound=InboundMessage(channel=chat.channel, identity_kind=kind,
                                   identity_value=value, identity_verified=verified,
                                   provider_message_id=key, text=text,
                                   inbox_id=chat.inbox_id))
        await session.commit()
        chat.conversation_id = msg.conversation_id
    await chat.drain()
    return "\n".join(m.text for m in await chat.bot_messages(after_id=msg.id))


async def test_a_bot_answered_message_creates_no_delivery_that_does_nothing(
    engine: AsyncEngine, signed_in: Chat
) -> None:
    await signed_in.drain()  # the workspace's own events and first schedules
    async with signed_in.session_factory() as session:
        before = await session.scalar(select(OutboxEvent.id).order_by(OutboxEvent.id.desc()))
        # Periodic work is not part of the path: keep the next tick out of a slow run.
        await session.execute(update(ScheduleState).values(
            next_run_at=utcnow() + dt.timedelta(days=1)))
        await session.commit()
    with counting(engine) as statements:
        reply = await _say_through_the_way_in(signed_in, "제 회원 등급이랑 포인트 알려주세요")
    assert "12,500" in reply
    async with signed_in.session_factory() as session:
        events = dict((await session.execute(select(OutboxEvent.id, OutboxEvent.name)
                                             .where(OutboxEvent.id > before))).all())
        deliveries = (await session.execute(
            select(EventDelivery.event_id, EventDelivery.subscriber, EventDelivery.status)
            .where(EventDelivery.event_id > before))).all()
    assert sorted(events.values()) == EVENTS
    assert sorted((events[d.event_id], d.subscriber) for d in deliveries) == DELIVERIES
    assert {d.status for d in deliveries} == {DONE}
    assert len(statements) <= STATEMENTS, len(statements)
