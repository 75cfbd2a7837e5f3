"""Analytics reads: a conversation's snapshot for its fact, and fact look-ups.

Reports (KPIs, series, breakdowns) are in ``reports.py``; goals and staffing in their modules.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.analytics.facts import (
    DEFAULT_FIRST_RESPONSE_TARGET,
    THANKS_INTENT,
    Snapshot,
)
from omnidesk.domains.analytics.models import ConversationFact
from omnidesk.domains.conversations.models import Conversation, ConversationEvent, Message
from omnidesk.domains.feedback.service import latest_scores
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.routing.models import QueueEntry, RoutingQueue, SlaClockRow
from omnidesk.domains.routing.service import get_default_sla_policy, stacked_calendar
from omnidesk.domains.workspaces.service import Calendar, get_workspace

CONVERSATION_COLUMNS = (
    Conversation.id, Conversation.customer_id, Conversation.channel, Conversation.inbox_id,
    Conversation.team_id, Conversation.assignee_id, Conversation.intent, Conversation.language,
    Conversation.status, Conversation.priority, Conversation.owner, Conversation.created_at,
    Conversation.first_customer_message_at, Conversation.first_response_at,
    Conversation.last_customer_message_at, Conversation.resolved_at, Conversation.reopened_count,
)


async def load_snapshot(session: AsyncSession, *, workspace_id: int,
                        conversation_id: int) -> Snapshot | None:
    """Read what a conversation's fact is computed from (None when it no longer exists)."""
    found = await load_snapshots(session, workspace_id=workspace_id,
                                 conversation_ids=[conversation_id])
    return found[0] if found else None


async def load_snapshots(session: AsyncSession, *, workspace_id: int,
                         conversation_ids: list[int] | None = None) -> list[Snapshot]:
    """Read the snapshots of some (or all) conversations of a workspace in a few queries."""
    query = select(*CONVERSATION_COLUMNS).where(Conversation.workspace_id == workspace_id)
    if conversation_ids is not None:
        query = query.where(Conversation.id.in_(conversation_ids))
    convs = (await session.execute(query.order_by(Conversation.id))).all()
    if not convs:
        return []
    ids = None if conversation_ids is None else [c.id for c in convs]
    replies = await _reply_counts(session, workspace_id, ids)
    articles = await _bot_articles(session, workspace_id, ids)
    handoffs = await _handoffs(session, workspace_id, ids)
    sla = await _sla_states(session, workspace_id, ids)
    calendars = await _calendars(session, workspace_id, ids)
    targets = await first_response_targets(session, workspace_id=workspace_id)
    next_contacts = await _next_contacts(session, workspace_id, convs)
    scores = await survey_scores(session, workspace_id=workspace_id, conversation_ids=ids)
    return [Snapshot(
        conversation=c, calendar=calendars(c.id, c.inbox_id),
        agent_replies=replies.get((c.id, "agent"), (0, None))[0],
        bot_replies=replies.get((c.id, "bot"), (0, None))[0],
        bot_last_reply_at=replies.get((c.id, "bot"), (0, None))[1],
        bot_article=articles.get(c.id),
        customer_thanked_bot=replies.get((c.id, "thanks"), (0, None))[0] > 0,
        handed_off=c.id in handoffs, handoff_reason=handoffs.get(c.id),
        next_contact_at=next_contacts.get(c.id), sla_states=tuple(sla.get(c.id, ())),
        first_response_target=targets.get(c.priority, targets.get("normal",
                                                                  DEFAULT_FIRST_RESPONSE_TARGET)),
        scores=scores.get(c.id, {})) for c in convs]


def _scoped(query: Any, column: Any, workspace_column: Any, workspace_id: int,
            ids: list[int] | None) -> Any:
    query = query.where(workspace_column == workspace_id)
    return query if ids is None else query.where(column.in_(ids))


async def _reply_counts(session: AsyncSession, workspace_id: int, ids: list[int] | None
                        ) -> dict[tuple[int, str], tuple[int, dt.datetime | None]]:
    """Count public agent and bot replies per conversation (and bot replies to a thank-you)."""
    thanks = case((Message.meta["bot"]["intent"].as_string() == THANKS_INTENT, 1), else_=0)
    query = _scoped(
        select(Message.conversation_id, Message.author_kind, func.count(),
               func.max(Message.created_at), func.sum(thanks))
        .where(Message.direction == "outbound", Message.is_private.is_(False),
               Message.author_kind.in_(("agent", "bot"))),
        Message.conversation_id, Message.workspace_id, workspace_id, ids)
    found: dict[tuple[int, str], tuple[int, dt.datetime | None]] = {}
    rows: Any = await session.execute(query.group_by(Message.conversation_id,
                                                     Message.author_kind))
    for conv_id, kind, count, last, thanked in rows:
        found[(conv_id, kind)] = (int(count), last)
        if kind == "bot":
            found[(conv_id, "thanks")] = (int(thanked or 0), None)
    return found


async def _bot_articles(session: AsyncSession, workspace_id: int,
                        ids: list[int] | None) -> dict[int, str]:
    """Return the last help-center article each conversation's bot quoted."""
    cited = Message.meta["bot"]["source"].as_string().like("kb_%")  # a knowledge answer
    query = _scoped(select(Message.conversation_id, Message.meta)
                    .where(Message.author_kind == "bot", cited),
                    Message.conversation_id, Message.workspace_id, workspace_id, ids)
    found: dict[int, str] = {}
    rows: Any = await session.execute(query.order_by(Message.id))
    for conv_id, meta in rows:
        citations = ((meta or {}).get("bot") or {}).get("citations") or []
        if citations:
            found[conv_id] = str(citations[0])[:300]
    return found


async def _handoffs(session: AsyncSession, workspace_id: int,
                    ids: list[int] | None) -> dict[int, str | None]:
    """Return the first handoff reason of each conversation the bot handed to people."""
    query = _scoped(select(ConversationEvent.conversation_id, ConversationEvent.data)
                    .where(ConversationEvent.kind == "bot_handoff"),
                    ConversationEvent.conversation_id, ConversationEvent.workspace_id,
                    workspace_id, ids)
    found: dict[int, str | None] = {}
    rows: Any = await session.execute(query.order_by(ConversationEvent.id))
    for conv_id, data in rows:
        found.setdefault(conv_id, (data or {}).get("reason"))
    return found


async def _sla_states(session: AsyncSession, workspace_id: int,
                      ids: list[int] | None) -> dict[int, list[str]]:
    query = _scoped(select(SlaClockRow.conversation_id, SlaClockRow.state),
                    SlaClockRow.conversation_id, SlaClockRow.workspace_id, workspace_id, ids)
    found: dict[int, list[str]] = defaultdict(list)
    rows: Any = await session.execute(query)
    for conv_id, state in rows:
        found[conv_id].append(state)
    return found


async def _calendars(session: AsyncSession, workspace_id: int,
                     ids: list[int] | None) -> Callable[[int, int | None], Calendar]:
    """Return a look-up of each conversation's calendar (workspace, inbox, queue hours)."""
    workspace = await get_workspace(session, workspace_id=workspace_id)
    inbox_hours = await inbox_hours_by_id(session, workspace_id=workspace_id)
    queue_hours = await queue_hours_by_conversation(session, workspace_id=workspace_id,
                                                    conversation_ids=ids)
    cache: dict[tuple[int | None, int | None], Calendar] = {}

    def calendar(conversation_id: int, inbox_id: int | None) -> Calendar:
        queue_id, hours = queue_hours.get(conversation_id, (None, None))
        key = (inbox_id, queue_id)
        if key not in cache:
            cache[key] = stacked_calendar(workspace.business_hours, workspace.timezone,
                                          inbox_hours.get(inbox_id or 0), hours)
        return cache[key]

    return calendar


async def _next_contacts(session: AsyncSession, workspace_id: int,
                         convs: Sequence[Any]) -> dict[int, dt.datetime]:
    """Return, per conversation, when its customer next opened a conversation (any channel)."""
    customers = sorted({c.customer_id for c in convs})
    found: dict[int, dt.datetime] = {}
    for start in range(0, len(customers), 1000):
        rows = (await session.execute(
            select(Conversation.customer_id, Conversation.id, Conversation.created_at)
            .where(Conversation.workspace_id == workspace_id,
                   Conversation.customer_id.in_(customers[start:start + 1000]))
            .order_by(Conversation.customer_id, Conversation.created_at))).all()
        for _customer, group in itertools.groupby(rows, key=lambda row: row.customer_id):
            items = list(group)
            times = [row.created_at for row in items]
            for row in items:
                later = bisect.bisect_right(times, row.created_at)
                if later < len(times):
                    found[row.id] = times[later]
    return found


async def inbox_hours_by_id(session: AsyncSession, *, workspace_id: int) -> dict[int, Any]:
    """Return each inbox's business-hours override."""
    rows = await session.execute(select(Inbox.id, Inbox.hours).where(
        Inbox.workspace_id == workspace_id))
    return {row.id: row.hours for row in rows}


async def queue_hours_by_conversation(
    session: AsyncSession, *, workspace_id: int, conversation_ids: list[int] | None,
) -> dict[int, tuple[int, Any]]:
    """Return each conversation's queue and that queue's hours (as the SLA clocks use)."""
    query = _scoped(select(QueueEntry.conversation_id, RoutingQueue.id,
                           RoutingQueue.business_hours)
                    .join(RoutingQueue, RoutingQueue.id == QueueEntry.queue_id),
                    QueueEntry.conversation_id, QueueEntry.workspace_id, workspace_id,
                    conversation_ids)
    return {row[0]: (row[1], row[2]) for row in await session.execute(query)}


async def first_response_targets(session: AsyncSession, *,
                                 workspace_id: int) -> dict[str, float]:
    """Return the first-response target (business seconds) per priority, from the SLA policy."""
    policy = await get_default_sla_policy(session, workspace_id=workspace_id)
    targets: dict[str, Any] = policy.targets if policy is not None else {}
    return {priority: float(metrics["first_response"]) for priority, metrics in targets.items()
            if (metrics or {}).get("first_response") is not None}


async def survey_scores(session: AsyncSession, *, workspace_id: int,
                        conversation_ids: list[int] | None) -> dict[int, dict[str, int]]:
    """Return the conversations' latest survey answer per kind (feedback's rule)."""
    return await latest_scores(session, workspace_id=workspace_id,
                               conversation_ids=conversation_ids)


async def get_fact(session: AsyncSession, *, conversation_id: int,
                   lock: bool = False) -> ConversationFact | None:
    """Return a conversation's fact row (locked for update when asked)."""
    query = select(ConversationFact).where(ConversationFact.conversation_id == conversation_id)
    return await session.scalar(query.with_for_update() if lock else query)


async def list_due_facts(session: AsyncSession, *, now: dt.datetime,
                         limit: int = 500) -> list[tuple[int, int]]:
    """Return (workspace, conversation) of facts whose time window has closed."""
    rows = await session.execute(
        select(ConversationFact.workspace_id, ConversationFact.conversation_id)
        .where(ConversationFact.settles_at <= now).order_by(ConversationFact.settles_at)
        .limit(limit))
    return [(row[0], row[1]) for row in rows]


async def list_recent_facts_of_customer(session: AsyncSession, *, workspace_id: int,
                                        customer_id: int, since: dt.datetime) -> list[int]:
    """Return the customer's conversations created since an instant (their recontact may move)."""
    rows = await session.scalars(
        select(ConversationFact.conversation_id).where(
            ConversationFact.workspace_id == workspace_id,
            ConversationFact.customer_id == customer_id, ConversationFact.created_at >= since))
    return list(rows.all())


async def list_conversation_ids(session: AsyncSession, *, workspace_id: int) -> list[int]:
    """Return every conversation id of a workspace (for a rebuild)."""
    rows = await session.scalars(select(Conversation.id).where(
        Conversation.workspace_id == workspace_id).order_by(Conversation.id))
    return list(rows.all())
