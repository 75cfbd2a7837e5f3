"""Analytics reads: a conversation's snapshot for its fact, and fact look-ups.

Reports (KPIs, series, breakdowns) are in ``reports.py``; goals and staffing in their modules.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Integer, bindparam, case, cast, func, literal_column, null, select, union_all
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
    built = _statements(conversation_ids is not None)
    params: dict[str, Any] = {"workspace_id": workspace_id, "ids": conversation_ids}
    convs = (await session.execute(built["conversations"], params)).all()
    if not convs:
        return []
    if conversation_ids is not None:
        params["ids"] = [c.id for c in convs]
    replies = await _reply_counts(session, built, params)
    articles, handoffs, sla, queue_hours = await _per_conversation(session, built, params)
    calendars = await _calendars(session, built, params, queue_hours)
    targets = await first_response_targets(session, workspace_id=workspace_id)
    next_contacts = await _next_contacts(session, workspace_id, convs)
    scores = await survey_scores(session, workspace_id=workspace_id,
                                 conversation_ids=params["ids"])
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


ARTICLE, HANDOFF, SLA, QUEUE = range(4)  # the lists of the snapshot's "lists" read


def _tag(which: int) -> Any:
    """Label a branch of the "lists" read with its list."""
    return literal_column(str(which), Integer).label("list")


@cache
def _statements(by_ids: bool) -> dict[str, Any]:
    """Build the snapshot's reads once per shape (some conversations, or all of them): a fact
    refresh runs them on every lifecycle event, and building and keying the selects (JSON
    paths among them) cost about as much CPU as running them. Parameters: ``workspace_id``
    and, by ids, ``ids``."""
    workspace_id: Any = bindparam("workspace_id")
    ids: Any = bindparam("ids", expanding=True)

    def scoped(query: Any, column: Any, workspace_column: Any) -> Any:
        query = query.where(workspace_column == workspace_id)
        return query.where(column.in_(ids)) if by_ids else query

    thanks = case((Message.meta["bot"]["intent"].as_string() == THANKS_INTENT, 1), else_=0)
    cited = Message.meta["bot"]["source"].as_string().like("kb_%")  # a knowledge answer
    # typed NULLs: PostgreSQL types a UNION's columns branch by branch, an untyped NULL as text
    no_doc, no_state = cast(null(), Message.meta.type), cast(null(), SlaClockRow.state.type)
    no_queue = cast(null(), RoutingQueue.id.type)
    return {
        "conversations": scoped(select(*CONVERSATION_COLUMNS), Conversation.id,
                                Conversation.workspace_id).order_by(Conversation.id),
        # public agent and bot replies per conversation (and bot replies to a thank-you)
        "replies": scoped(
            select(Message.conversation_id, Message.author_kind, func.count(),
                   func.max(Message.created_at), func.sum(thanks))
            .where(Message.direction == "outbound", Message.is_private.is_(False),
                   Message.author_kind.in_(("agent", "bot"))),
            Message.conversation_id, Message.workspace_id,
        ).group_by(Message.conversation_id, Message.author_kind),
        # one statement for four per-conversation lists, told apart by ``list`` (``LISTS``)
        # and in order of ``seq`` within each: the bot's knowledge answers (``doc``: the
        # message's meta), its handoffs (``doc``: the event's data), SLA clock states
        # (``state``) and the queue's hours (``doc``, ``queue_id``)
        "lists": union_all(
            scoped(select(_tag(ARTICLE), Message.conversation_id, Message.id.label("seq"),
                          Message.meta.label("doc"), no_state.label("state"),
                          no_queue.label("queue_id"))
                   .where(Message.author_kind == "bot", cited),
                   Message.conversation_id, Message.workspace_id),
            scoped(select(_tag(HANDOFF), ConversationEvent.conversation_id,
                          ConversationEvent.id, ConversationEvent.data, no_state, no_queue)
                   .where(ConversationEvent.kind == "bot_handoff"),
                   ConversationEvent.conversation_id, ConversationEvent.workspace_id),
            scoped(select(_tag(SLA), SlaClockRow.conversation_id, SlaClockRow.id, no_doc,
                          SlaClockRow.state, no_queue),
                   SlaClockRow.conversation_id, SlaClockRow.workspace_id),
            scoped(select(_tag(QUEUE), QueueEntry.conversation_id, QueueEntry.id,
                          RoutingQueue.business_hours, no_state, RoutingQueue.id)
                   .join(RoutingQueue, RoutingQueue.id == QueueEntry.queue_id),
                   QueueEntry.conversation_id, QueueEntry.workspace_id),
        ).order_by(literal_column("list"), literal_column("seq")),
        "inbox_hours": select(Inbox.id, Inbox.hours).where(Inbox.workspace_id == workspace_id),
    }


@cache
def _next_contacts_statement() -> Any:
    """Build the read of some customers' conversation starts once (``workspace_id``,
    ``customers``)."""
    return (select(Conversation.customer_id, Conversation.id, Conversation.created_at)
            .where(Conversation.workspace_id == bindparam("workspace_id"),
                   Conversation.customer_id.in_(bindparam("customers", expanding=True)))
            .order_by(Conversation.customer_id, Conversation.created_at))


async def _reply_counts(session: AsyncSession, built: dict[str, Any], params: dict[str, Any]
                        ) -> dict[tuple[int, str], tuple[int, dt.datetime | None]]:
    """Count public agent and bot replies per conversation (and bot replies to a thank-you)."""
    found: dict[tuple[int, str], tuple[int, dt.datetime | None]] = {}
    rows: Any = await session.execute(built["replies"], params)
    for conv_id, kind, count, last, thanked in rows:
        found[(conv_id, kind)] = (int(count), last)
        if kind == "bot":
            found[(conv_id, "thanks")] = (int(thanked or 0), None)
    return found


async def _per_conversation(
    session: AsyncSession, built: dict[str, Any], params: dict[str, Any],
) -> tuple[dict[int, str], dict[int, str | None], dict[int, list[str]],
           dict[int, tuple[int, Any]]]:
    """Read, in one statement, the last help-center article each conversation's bot quoted,
    the first handoff reason of each conversation the bot handed to people, the SLA clock
    states and the queue (id and business hours) of each conversation."""
    articles: dict[int, str] = {}
    handoffs: dict[int, str | None] = {}
    sla: dict[int, list[str]] = defaultdict(list)
    queues: dict[int, tuple[int, Any]] = {}
    rows: Any = await session.execute(built["lists"], params)
    for which, conv_id, _seq, doc, state, queue_id in rows:
        if which == ARTICLE:
            citations = ((doc or {}).get("bot") or {}).get("citations") or []
            if citations:
                articles[conv_id] = str(citations[0])[:300]
        elif which == HANDOFF:
            handoffs.setdefault(conv_id, (doc or {}).get("reason"))
        elif which == SLA:
            sla[conv_id].append(state)
        else:
            queues[conv_id] = (queue_id, doc)
    return articles, handoffs, sla, queues


async def _calendars(session: AsyncSession, built: dict[str, Any], params: dict[str, Any],
                     queue_hours: dict[int, tuple[int, Any]],
                     ) -> Callable[[int, int | None], Calendar]:
    """Return a look-up of each conversation's calendar (workspace, inbox, queue hours)."""
    workspace = await get_workspace(session, workspace_id=params["workspace_id"])
    inbox_hours = {row.id: row.hours
                   for row in await session.execute(built["inbox_hours"], params)}
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
        rows = (await session.execute(_next_contacts_statement(), {
            "workspace_id": workspace_id, "customers": customers[start:start + 1000]})).all()
        for _customer, group in itertools.groupby(rows, key=lambda row: row.customer_id):
            items = list(group)
            times = [row.created_at for row in items]
            for row in items:
                later = bisect.bisect_right(times, row.created_at)
                if later < len(times):
                    found[row.id] = times[later]
    return found


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
