"""Routing writes: enqueue, assign the next conversations, release, presence.

Each action works in the caller's transaction and never commits. Every decision the engine makes
is claimed with conditional UPDATEs (see ``claims``): two workers running ``do_assign_next`` at
once never assign the same conversation and never push an agent past capacity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import flush_pending, utcnow
from omnidesk.core.errors import NotFound
from omnidesk.core.events import emit, insert_outbox_rows, outbox_values
from omnidesk.domains.agents.service import get_user
from omnidesk.domains.assist.service import is_vip, standing_of
from omnidesk.domains.conversations.actions import (
    assign_row_params,
    assignment_change,
    do_assign,
    do_assign_row,
)
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.engagement.service import predict_contact_reason
from omnidesk.domains.routing import events as ev
from omnidesk.domains.routing.assignment.claims import (
    claim_entry,
    claim_waiting_entry,
    claim_waiting_entry_and_capacity,
    insert_entry,
    insert_unless_exists,
    lock_agents,
    mirror,
    release_capacity,
    waiting_values,
)
from omnidesk.domains.routing.assignment.engine import (
    PRIORITY_LEVELS,
    Assignment,
    Presence,
    WorkItem,
    match,
)
from omnidesk.domains.routing.models import (
    ACTIVE_ENTRY_STATUSES,
    AgentStateRow,
    QueueEntry,
)
from omnidesk.domains.routing.rules.matching import channel_class, evaluate_rules
from omnidesk.domains.routing.service import (
    ConversationRow,
    QueueRow,
    agent_capacity,
    capacity_columns,
    enqueue_facts,
    get_agent_state,
    get_conversation_row,
    get_entry,
    get_queue_row,
    is_active,
    list_decision_inputs,
    list_entries,
    queue_policy,
    transaction_rows,
)
from omnidesk.domains.routing.sla.actions import first_response_due_at


async def do_enqueue(
    session: AsyncSession,
    *,
    workspace_id: int,
    conversation_id: int,
    text: str | None = None,
    sentiment: float = 0.0,
    sentiment_label: str | None = None,
    now: dt.datetime | None = None,
) -> QueueEntry | None:
    """Put a conversation in the queue its rules choose; None when no queue is configured.

    ``text`` and the sentiment are the customer's words that brought it here (rules test them).
    The facts are read as plain rows and the entry with its event written by Core statements
    (no unit of work); the conversation and queue rows stay in ``transaction_rows`` for
    ``do_assign_next`` in the same transaction.
    """
    now = now or utcnow()
    await flush_pending(session)
    found = await enqueue_facts(session, workspace_id=workspace_id,
                                conversation_id=conversation_id, now=now)
    if found is None:
        raise NotFound("conversation not found")
    if found.entry is not None and found.entry[1] in ACTIVE_ENTRY_STATUSES:
        return await get_entry(session, workspace_id=workspace_id, conversation_id=conversation_id)
    conv, default, workspace = found.conv, found.default_queue, found.workspace
    rows = transaction_rows(session)
    rows[ConversationRow, conv.id] = conv
    standing = standing_of(found.customer_facts, workspace.settings,  # as customer_standing
                           segments=workspace.segments)
    facts = routing_facts(conv, standing, found.tags, text, sentiment_label)
    rules = found.rules
    if any(rule.conditions.get("predicted_intent") for rule in rules):  # else it costs nothing
        facts["predicted_intent"] = await _predicted_intent(session, conv)
    decision = evaluate_rules(rules, facts, default_queue_id=default.id if default else None)
    if decision.queue_id is None:
        return None
    queue = (
        default
        if default is not None and decision.queue_id == default.id
        else await get_queue_row(session, workspace_id=workspace_id,
                                 queue_id=_row_id(decision.queue_id))
    )
    rows[QueueRow, queue.id] = queue
    sticky = found.sticky
    values: dict[str, Any] = waiting_values(
        queue_id=queue.id,
        channel=channel_class(conv.channel),
        language=conv.language,
        required_skills=dict(queue.required_skills or {}),
        sentiment=sentiment,
        priority=PRIORITY_LEVELS.get(decision.priority, PRIORITY_LEVELS["normal"]),
        vip=is_vip(tier=facts["tier"], segments=facts["segment"], tags=facts["tags"],
                   keys=workspace.vip_keys),
        enqueued_at=now,
        sla_due_at=first_response_due_at(
            found.sla_targets, found.calendar.override(queue.business_hours),
            conv, decision.priority, now
        ),
        rule_name=decision.rule_name,
        finished_at=None,
        last_agent_id=sticky[0] if sticky else None,
        last_agent_at=sticky[1] if sticky else None,
    )
    entry = await _store_entry(session, found.entry, conv, values)
    rows[QueueEntry, entry.id] = conv.id  # whose row the assignment may use
    return entry


async def _predicted_intent(session: AsyncSession, conv: Any) -> str | None:
    """Return the confident contact reason predicted from what the customer did before writing."""
    guess = await predict_contact_reason(session, workspace_id=conv.workspace_id,
                                         customer_id=conv.customer_id, at=conv.created_at)
    return guess.intent if guess is not None and guess.confident else None


def routing_facts(
    conv: Any, standing: tuple[str, list[str]], tags: list[Any], text: str | None,
    sentiment: str | None = None,
) -> dict[str, Any]:
    """Collect what routing rules may test about a conversation and its customer.

    The tier and segments are the computed ones (`assist.service.standing_of`, the rule
    `customer_standing` applies for the agent's panel, the bot, automation and campaigns), never
    a stored attribute.
    """
    tier, segments = standing
    return {
        "channel": conv.channel, "inbox": conv.inbox_id, "language": conv.language,
        "intent": conv.intent,
        "priority": conv.priority, "tier": tier.lower() or None,
        "segment": [key.lower() for key in segments], "tags": [str(t).lower() for t in tags],
        "text": " ".join(part for part in (conv.subject, text) if part), "sentiment": sentiment,
    }  # fmt: skip


async def _store_entry(
    session: AsyncSession, found: tuple[int, str] | None, conv: ConversationRow,
    values: dict[str, Any],
) -> QueueEntry:
    """Insert the entry, or reuse the conversation's finished one, with its event; when a
    concurrent enqueue got there first, return that entry and write nothing."""
    if found is not None:
        entry = await claim_waiting_entry(session, entry_id=found[0], values=values,
                                          from_status=found[1])
        if entry is None:  # moved meanwhile
            existing = await get_entry(session, workspace_id=conv.workspace_id,
                                       conversation_id=conv.id)
            assert existing is not None
            return existing
        await insert_outbox_rows(session, [outbox_values(session, ev.RoutingEnqueued.of(entry),
                                                    workspace_id=conv.workspace_id)])
        return entry
    row = {"workspace_id": conv.workspace_id, "conversation_id": conv.id,
           "customer_id": conv.customer_id, **values}
    event = ev.RoutingEnqueued.of(cast(Any, SimpleNamespace(id=0, **row)))  # INSERT sets entry_id
    created = await insert_entry(session, row, outbox_values(session, event,
                                                             workspace_id=conv.workspace_id))
    if created is not None:
        return created
    existing = await get_entry(session, workspace_id=conv.workspace_id, conversation_id=conv.id)
    assert existing is not None  # a concurrent enqueue inserted it first
    return existing


def _row_id(value: Hashable) -> int:
    """Return an id the matching engine carried as the database id it was given."""
    if not isinstance(value, int):
        raise TypeError(f"routing expected a database id, got {value!r}")
    return value


async def do_assign_next(
    session: AsyncSession,
    *,
    workspace_id: int,
    queue_id: int,
    now: dt.datetime | None = None,
    limit: int = 50,
) -> list[QueueEntry]:
    """Match waiting conversations of a queue to online agents and claim each decision."""
    now = now or utcnow()
    await flush_pending(session)  # the reads below must see the caller's changes
    queue = await _decision_queue(session, workspace_id, queue_id)
    agents, items = await list_decision_inputs(session, workspace_id=workspace_id, queue=queue)
    if not agents:
        return []
    by_id = {item.id: item for item in items}
    decisions = match(items, agents, queue_policy(queue), now.timestamp())[:limit]
    done = []
    for decision in sorted(decisions, key=lambda d: _row_id(d.item_id)):  # entries in id order
        entry = await _apply(session, workspace_id, by_id[decision.item_id], decision, now)
        if entry is not None:
            done.append(entry)
    return done


async def _decision_queue(session: AsyncSession, workspace_id: int, queue_id: int) -> QueueRow:
    """Return the queue's row, as do_enqueue read it in this transaction or read now."""
    queue = transaction_rows(session).get((QueueRow, queue_id))
    if queue is None or queue.workspace_id != workspace_id:
        queue = await get_queue_row(session, workspace_id=workspace_id, queue_id=queue_id)
    return cast(QueueRow, queue)


async def _apply(
    session: AsyncSession, workspace_id: int, item: WorkItem, decision: Assignment, now: dt.datetime
) -> QueueEntry | None:
    """Claim the entry, then the agent's capacity; undo the first if the second fails."""
    agent_id = _row_id(decision.agent_id)
    expires = decision.offer_expires_at
    status = "offered" if expires is not None else "assigned"
    values: dict[str, Any] = {
        "status": status, "agent_id": agent_id,
        "assigned_at": now,
        "offer_expires_at": None if expires is None else dt.datetime.fromtimestamp(expires, dt.UTC),
    }  # fmt: skip
    assignment, conv = None, None
    if expires is None and session.get_bind().dialect.name == "postgresql":
        conv = _held_conversation(session, _row_id(item.id))
    if conv is not None:  # the claim assigns it too, by the same statement
        change = assignment_change(conv, assignee_id=agent_id, reason="routing", now=now)
        assignment = assign_row_params(session, conv=conv, change=change, now=now)
    entry, taken = await claim_waiting_entry_and_capacity(
        session, workspace_id=workspace_id, entry_id=_row_id(item.id), values=values,
        user_id=agent_id, channel=item.channel, now=now, assignment=assignment)
    if entry is None:
        return None
    if not taken:
        undo = waiting_values()
        await claim_entry(session, entry_id=entry.id, values=undo, from_status=status)
        mirror(entry, undo)
        return None
    if expires is not None:
        await insert_outbox_rows(session, [outbox_values(session, ev.RoutingOffered.of(entry),
                                                    workspace_id=workspace_id)])
    elif conv is not None:
        transaction_rows(session).pop((ConversationRow, conv.id), None)
    else:
        await _assign_decided(session, entry, agent_id, now)
    return entry


def _held_conversation(session: AsyncSession, entry_id: int) -> ConversationRow | None:
    """Return the conversation row ``do_enqueue`` read in this transaction for this entry,
    unless the session holds the conversation loaded (then the object is what changes)."""
    rows = transaction_rows(session)
    conversation_id = rows.get((QueueEntry, entry_id))
    conv = None if conversation_id is None else rows.get((ConversationRow, conversation_id))
    if conv is None:
        return None
    key = Conversation.__mapper__.identity_key_from_primary_key((conversation_id,))
    return None if session.sync_session.identity_map.get(key) is not None else cast(
        ConversationRow, conv)


async def _assign_decided(
    session: AsyncSession, entry: QueueEntry, agent_id: int, now: dt.datetime
) -> None:
    """Assign the conversation of a claimed entry to the agent whose capacity was claimed
    (``claims.claim_capacity`` found them active): through the loaded object when this session
    holds one, else from its row (``do_enqueue``'s, or read now) by Core statements."""
    key = Conversation.__mapper__.identity_key_from_primary_key((entry.conversation_id,))
    if session.sync_session.identity_map.get(key) is not None:
        await _assign_conversation(session, entry, agent_id, "routing", assignee_active=True)
        return
    conv = transaction_rows(session).pop((ConversationRow, entry.conversation_id), None)
    if conv is None or conv.workspace_id != entry.workspace_id:
        conv = await get_conversation_row(session, workspace_id=entry.workspace_id,
                                          conversation_id=entry.conversation_id)
    await do_assign_row(session, conv=conv, assignee_id=agent_id, reason="routing", now=now)


async def _assign_conversation(
    session: AsyncSession, entry: QueueEntry, agent_id: int | None, reason: str,
    *, assignee_active: bool = False,
) -> None:
    """Assign through the conversations domain, changing the loaded conversation (from the
    identity map, else one read). ``assignee_active``: the agent's capacity claim
    (``claims.claim_capacity``) found them an active user."""
    transaction_rows(session).pop((ConversationRow, entry.conversation_id), None)
    conv = await session.get(Conversation, entry.conversation_id)
    if conv is None or conv.workspace_id != entry.workspace_id:
        raise NotFound("conversation not found")
    await do_assign(session, conv=conv, assignee_id=agent_id, reason=reason,
                    assignee_active=assignee_active)


async def do_release(
    session: AsyncSession,
    *,
    workspace_id: int,
    conversation_id: int,
    now: dt.datetime | None = None,
) -> QueueEntry | None:
    """Finish a conversation's entry (resolved) and give the agent's capacity back."""
    now = now or utcnow()
    entry = await get_entry(session, workspace_id=workspace_id, conversation_id=conversation_id)
    if not is_active(entry):
        return entry
    assert entry is not None
    held, agent_id = entry.status in ("offered", "assigned"), entry.agent_id
    if agent_id is not None:
        await lock_agents(session, workspace_id=workspace_id, user_ids=[agent_id])
    values = {"status": "done", "finished_at": now, "offer_expires_at": None}
    if await claim_entry(session, entry_id=entry.id, values=values, from_status=entry.status):
        mirror(entry, values)
        if held and agent_id is not None:
            await release_capacity(
                session, workspace_id=workspace_id, user_id=agent_id, channel=entry.channel, now=now
            )
    return entry


async def do_set_presence(
    session: AsyncSession,
    *,
    workspace_id: int,
    user_id: int,
    presence: str,
    now: dt.datetime | None = None,
) -> AgentStateRow:
    """Set an agent's presence; going offline puts their conversations back in the queue."""
    now, state = now or utcnow(), Presence(presence)
    user = await get_user(session, workspace_id=workspace_id, user_id=user_id)
    row = await get_agent_state(session, workspace_id=workspace_id, user_id=user_id)
    capacity = capacity_columns(user.capacity)
    if row is None:
        await insert_unless_exists(session, AgentStateRow, {
            "workspace_id": workspace_id, "user_id": user_id, "presence": state.value,
            "idle_since": now, "presence_changed_at": now, **capacity}, "user_id")  # fmt: skip
    else:
        await lock_agents(session, workspace_id=workspace_id, user_ids=[user_id])
        values: dict[str, Any] = {"presence": state.value, "presence_changed_at": now, **capacity}
        if row.presence == "offline" and state is Presence.ONLINE:
            values["idle_since"] = now
        await session.execute(
            update(AgentStateRow)
            .where(AgentStateRow.id == row.id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    if state is Presence.OFFLINE:
        await _requeue_agent_work(session, workspace_id, user_id, now)
    emit(session, ev.AgentPresenceChanged(user_id=user_id, presence=state.value, at=now,
                                          capacity=agent_capacity(user.capacity)),
         workspace_id=workspace_id)
    fresh = await get_agent_state(session, workspace_id=workspace_id, user_id=user_id)
    assert fresh is not None
    return fresh


async def _requeue_agent_work(
    session: AsyncSession, workspace_id: int, user_id: int, now: dt.datetime
) -> None:
    """Put an offline agent's offered and assigned conversations back to waiting."""
    entries = await list_entries(
        session, workspace_id=workspace_id, agent_id=user_id, statuses=("offered", "assigned")
    )
    for entry in entries:
        values = waiting_values(last_agent_id=user_id, last_agent_at=now)
        if not await claim_entry(
            session, entry_id=entry.id, values=values, from_status=entry.status, agent_id=user_id
        ):
            continue
        was_assigned = entry.status == "assigned"
        mirror(entry, values)
        if was_assigned:
            await _assign_conversation(session, entry, None, "agent_offline")
        emit(session, ev.RoutingRequeued.of(entry, previous_agent_id=user_id),
             workspace_id=workspace_id)
    await session.execute(
        update(AgentStateRow)
        .where(AgentStateRow.workspace_id == workspace_id, AgentStateRow.user_id == user_id)
        .values(voice_load=0, chat_load=0, email_load=0, idle_since=now)
        .execution_options(synchronize_session=False)
    )
