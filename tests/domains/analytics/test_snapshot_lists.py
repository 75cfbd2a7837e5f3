"""A conversation's fact takes the bot's cited article, its handoff, the SLA clock states and the
queue's own hours from its snapshot, on SQLite and PostgreSQL.

The workspace keeps the default hours (Mon–Fri 09:00–18:00, Asia/Seoul); the queue the bot hands
to is open on Saturdays too. 2026-11-28 is a Saturday.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.analytics.actions import do_rebuild, do_refresh_fact
from omnidesk.domains.analytics.models import ConversationFact
from omnidesk.domains.analytics.reports import ReportFilter, kpis
from omnidesk.domains.analytics.service import get_fact
from omnidesk.domains.bot.actions import do_bot_reply, do_update_bot_settings
from omnidesk.domains.conversations.actions import do_add_message, do_handoff_to_human
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.routing.actions import do_enqueue
from omnidesk.domains.routing.config_actions import check_create_queue, check_save_sla_policy
from omnidesk.domains.routing.schemas import QueueCreate, SlaPolicyCreate
from omnidesk.domains.routing.sla.actions import do_check_sla
from tests.conftest import Persona
from tests.domains.routing.routing_setup import make_conversation

KST = dt.timezone(dt.timedelta(hours=9))
SATURDAY = dt.datetime(2026, 11, 28, 10, 0, tzinfo=KST).astimezone(dt.UTC)
WEEKEND_DESK = {"weekly": {day: [["09:00", "18:00"]] for day in
                           ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}
NOVEMBER = ReportFilter(since=dt.datetime(2026, 11, 1, tzinfo=KST),
                        until=dt.datetime(2026, 12, 1, tzinfo=KST))


def kb_answer(slug: str) -> dict[str, object]:
    """The bot's provenance on a knowledge answer (as bot.delivery.provenance writes it)."""
    return {"bot": {"intent": "refund_policy", "source": "kb_article", "citations": [slug],
                    "handoff": None}}


async def saturday_conversation(session: AsyncSession, owner: Persona) -> Conversation:
    """A conversation opened on Saturday 10:00 KST by the customer's first message."""
    conv_id, _ = await make_conversation(session, owner.admin)
    conv = await session.get(Conversation, conv_id)
    assert conv is not None and conv.owner == "bot"
    conv.created_at = SATURDAY
    await do_add_message(session, conv=conv, text="환불은 언제 되나요?", author_kind="customer",
                         at=SATURDAY)
    return conv


async def build(session: AsyncSession, owner: Persona) -> tuple[int, int]:
    """Store the handed-off conversation (every list filled) and a plain one beside it."""
    ws = owner.workspace_id
    await do_update_bot_settings(session, actor=owner.admin, changes={"enabled": True})
    await check_create_queue(session, actor=owner.admin, queue_in=QueueCreate.model_validate(
        {"name": "weekend desk", "is_default": True, "business_hours": WEEKEND_DESK}))
    await check_save_sla_policy(session, actor=owner.admin, policy_in=SlaPolicyCreate(
        name="default", targets={"normal": {"first_response": 3600, "resolution": 86400}}))

    handed = await saturday_conversation(session, owner)
    await do_bot_reply(session, conv=handed, text="정책 안내", meta=kb_answer("refund-policy"))
    await do_bot_reply(session, conv=handed, text="환불 일정", meta=kb_answer("refund-timeline"))
    await do_bot_reply(session, conv=handed, text="잠시만요", meta={"bot": {
        "intent": None, "source": "fallback", "citations": ["not-an-article"]}})
    assert await do_handoff_to_human(session, conv=handed, reason="customer_request")
    assert await do_enqueue(session, workspace_id=ws, conversation_id=handed.id,
                            now=SATURDAY) is not None
    # Two hours of the weekend desk's Saturday without an answer: the first response is late.
    clocks = await do_check_sla(session, workspace_id=ws, conversation_id=handed.id,
                                now=SATURDAY + dt.timedelta(hours=2))
    assert {c.metric: c.state for c in clocks} == {"first_response": "breached",
                                                   "resolution": "ok"}
    await do_add_message(session, conv=handed, text="확인해 드릴게요", author_kind="agent",
                         author_id=owner.agent.user_id,
                         at=SATURDAY + dt.timedelta(hours=2, minutes=30))

    # Beside it, a conversation the bot kept: no article cited, no handoff, no clock, no queue.
    plain = await saturday_conversation(session, owner)
    await do_bot_reply(session, conv=plain, text="안녕하세요", meta={"bot": {
        "intent": "greeting", "source": "flow", "citations": []}})
    await do_add_message(session, conv=plain, text="확인해 드릴게요", author_kind="agent",
                         author_id=owner.agent.user_id,
                         at=SATURDAY + dt.timedelta(hours=2, minutes=30))
    await session.commit()
    return handed.id, plain.id


def lists_of(fact: ConversationFact | None) -> dict[str, object]:
    """What the reports read of a fact from the snapshot's lists."""
    assert fact is not None
    return {"bot_article": fact.bot_article, "handed_off": fact.handed_off,
            "handoff_reason": fact.handoff_reason, "sla_met": fact.sla_met,
            "first_response_business_seconds": fact.first_response_business_seconds,
            "first_response_within_target": fact.first_response_within_target}


HANDED = {
    "bot_article": "refund-timeline",  # the last article the bot quoted
    "handed_off": True, "handoff_reason": "customer_request",
    "sla_met": False,  # the first-response clock was breached
    # 10:00 to 12:30 on Saturday, all in the weekend desk's hours (none in the workspace's)
    "first_response_business_seconds": 9000.0, "first_response_within_target": False,
}
PLAIN = {
    "bot_article": None, "handed_off": False, "handoff_reason": None, "sla_met": None,
    "first_response_business_seconds": 0.0, "first_response_within_target": True,
}


async def test_a_fact_reads_the_article_handoff_sla_states_and_queue_hours(
        session: AsyncSession, owner: Persona) -> None:
    handed, plain = await build(session, owner)
    now = SATURDAY + dt.timedelta(days=1)
    # One conversation at a time, as a lifecycle event refreshes it (the snapshot by ids).
    for conversation_id in (handed, plain):
        await do_refresh_fact(session, workspace_id=owner.workspace_id,
                              conversation_id=conversation_id, now=now)
    await session.commit()
    assert lists_of(await get_fact(session, conversation_id=handed)) == HANDED
    assert lists_of(await get_fact(session, conversation_id=plain)) == PLAIN

    # Every conversation of the workspace at once, as a rebuild reads them.
    await do_rebuild(session, workspace_id=owner.workspace_id, now=now)
    await session.commit()
    assert lists_of(await get_fact(session, conversation_id=handed)) == HANDED
    assert lists_of(await get_fact(session, conversation_id=plain)) == PLAIN
    result = (await kpis(session, workspace_id=owner.workspace_id, flt=NOVEMBER))[""]
    assert {key: result[key] for key in ("bot_conversations", "handoff_rate", "sla_attainment",
                                         "first_response_within_target_rate")} == {
        "bot_conversations": 2, "handoff_rate": 0.5, "sla_attainment": 0.0,
        "first_response_within_target_rate": 0.5}
