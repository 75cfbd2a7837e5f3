"""Hand-built conversation histories with past timestamps, for KPI tests with known answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.manifests import KINDS
from omnidesk.domains.conversations.models import Conversation, ConversationEvent, Message
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.feedback.models import Survey, SurveyAnswer

KST = dt.timezone(dt.timedelta(hours=9))
CHAT, SMS = KINDS[0], KINDS[1]


def kst(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Return an instant in December 2026, Seoul time (2026-12-07 is a Monday)."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=KST).astimezone(dt.UTC)


@dataclass
class Story:
    """One conversation's history: who wrote when, what happened to it."""

    created: dt.datetime
    channel: str = CHAT
    agent_replies: list[dt.datetime] = field(default_factory=list)
    bot_replies: list[dt.datetime] = field(default_factory=list)
    customer_messages: list[dt.datetime] = field(default_factory=list)
    resolved: dt.datetime | None = None
    reopened: int = 0
    handoff: str | None = None
    thanked: bool = False
    intent: str | None = None
    language: str = "ko"
    scores: dict[str, int] = field(default_factory=dict)
    assignee_id: int | None = None


async def add_customer(session: AsyncSession, workspace_id: int, name: str) -> int:
    """Store a customer and return its id."""
    customer = Customer(workspace_id=workspace_id, name=name)
    session.add(customer)
    await session.flush()
    return customer.id


async def add_story(session: AsyncSession, workspace_id: int, customer_id: int,
                    story: Story) -> int:
    """Store a conversation with its messages, event log and survey answers; return its id."""
    customer_times = story.customer_messages or [story.created]
    conv = Conversation(
        workspace_id=workspace_id, customer_id=customer_id, channel=story.channel,
        status="resolved" if story.resolved else "open", created_at=story.created,
        updated_at=story.created, intent=story.intent, language=story.language,
        assignee_id=story.assignee_id, label_rows=[],
        owner="resolved" if story.resolved else ("bot" if story.bot_replies else "agent"),
        first_customer_message_at=customer_times[0], last_customer_message_at=customer_times[-1],
        first_response_at=story.agent_replies[0] if story.agent_replies else None,
        resolved_at=story.resolved, reopened_count=story.reopened)
    session.add(conv)
    await session.flush()
    rows: list[object] = [ConversationEvent(workspace_id=workspace_id, conversation_id=conv.id,
                                            kind="created", created_at=story.created)]
    for at in customer_times:
        rows.append(_message(workspace_id, conv, "customer", at))
    for at in story.agent_replies:
        rows.append(_message(workspace_id, conv, "agent", at))
    for index, at in enumerate(story.bot_replies):
        thanks = story.thanked and index == len(story.bot_replies) - 1
        rows.append(_message(workspace_id, conv, "bot", at, intent=(
            "greeting_thanks" if thanks else "shipping_status")))
    if story.handoff:
        rows.append(ConversationEvent(workspace_id=workspace_id, conversation_id=conv.id,
                                      kind="bot_handoff", data={"reason": story.handoff},
                                      created_at=story.bot_replies[-1]))
    session.add_all(rows)
    for resolution, (kind, score) in enumerate(story.scores.items()):
        await add_answer(session, workspace_id, conv, kind, score, resolution)
    await session.flush()
    return conv.id


def _message(workspace_id: int, conv: Conversation, author: str, at: dt.datetime,
             intent: str | None = None) -> Message:
    return Message(workspace_id=workspace_id, conversation_id=conv.id, channel=conv.channel,
                   direction="inbound" if author == "customer" else "outbound",
                   author_kind=author, text="…", created_at=at,
                   meta={"bot": {"intent": intent}} if intent else {})


async def add_answer(session: AsyncSession, workspace_id: int, conv: Conversation, kind: str,
                     score: int, resolution: int = 0) -> None:
    """Store an answered survey of a conversation (as the customer's answer would)."""
    survey = Survey(workspace_id=workspace_id, conversation_id=conv.id, resolution=resolution,
                    customer_id=conv.customer_id, kind=kind, channel=conv.channel,
                    status="answered")
    session.add(survey)
    await session.flush()
    session.add(SurveyAnswer(workspace_id=workspace_id, survey_id=survey.id,
                             conversation_id=conv.id, customer_id=conv.customer_id, kind=kind,
                             score=score, channel=conv.channel, via="widget",
                             created_at=conv.resolved_at or conv.created_at))
