"""Conversation state changes: open, assign and transfer, status (resolve, snooze, reopen),
labels and priority, each with its log row and event in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import InvalidInput, NotFound
from omnidesk.core.events import OutboxEvent, emit, outbox_values
from omnidesk.domains.agents.service import get_team, user_is_active
from omnidesk.domains.conversations import events as ev
from omnidesk.domains.conversations.journal import (
    AuditedBy,
    check_channel,
    detect_sentiment,
    log_event,
)
from omnidesk.domains.conversations.models import (
    Conversation,
    ConversationEvent,
    ConversationLabel,
)
from omnidesk.domains.conversations.ownership_actions import unassigned_owner
from omnidesk.domains.conversations.schemas import ConversationUpdate
from omnidesk.domains.conversations.service import access_conversation


async def do_open_conversation(
    session: AsyncSession, *, workspace_id: int, customer_id: int, channel: str,
    subject: str | None = None, priority: str = "normal", language: str | None = None,
    actor_kind: str = "customer", actor_id: int | None = None, text: str | None = None,
    inbox_id: int | None = None,
) -> Conversation:
    """Open a new conversation for a customer (`text`: the opening message routing reads)."""
    conv = Conversation(workspace_id=workspace_id, customer_id=customer_id, label_rows=[],
                        channel=check_channel(channel), inbox_id=inbox_id, subject=subject,
                        priority=priority,
                        language=language, status="open",
                        owner=await unassigned_owner(session, workspace_id, channel))
    session.add(conv)
    await session.flush()
    log_event(session, conv, "created", actor_kind=actor_kind, actor_id=actor_id,
              data={"channel": channel})
    emit(session, ev.ConversationCreated.of(conv, text=text, sentiment=detect_sentiment(text)),
         workspace_id=workspace_id)
    return conv


@dataclass(frozen=True, slots=True)
class AssignmentChange:
    """What assigning a conversation changes: its columns, its log row's kind and data, the event."""

    values: dict[str, Any]  # assignee_id, team_id, assigned_at, owner
    kind: str  # assigned, transferred or unassigned
    data: dict[str, Any]  # the log row's data
    event: ev.ConversationAssigned


def assignment_change(
    conv: Any, *, assignee_id: int | None, team_id: int | None = None, reason: str | None = None,
    summary: list[str] | None = None, now: dt.datetime | None = None,
) -> AssignmentChange:
    """Return the effects of assigning (or transferring) a conversation, loaded or read as a
    plain row with the event's columns: the one rule ``do_assign`` and ``do_assign_row`` apply."""
    previous = (conv.assignee_id, conv.team_id)
    team = team_id if team_id is not None else conv.team_id
    owner = conv.owner
    if owner != "resolved" and (assignee_id is not None or owner == "agent"):
        owner = "agent" if assignee_id is not None else "queued"
    kind = "transferred" if previous[0] is not None and assignee_id is not None else (
        "assigned" if assignee_id is not None else "unassigned")
    data = {"from_assignee_id": previous[0], "to_assignee_id": assignee_id,
            "from_team_id": previous[1], "to_team_id": team, "reason": reason}
    values = {"assignee_id": assignee_id, "team_id": team, "owner": owner,
              "assigned_at": (now or utcnow()) if assignee_id is not None else None}
    event = ev.ConversationAssigned.of(conv, change=kind, **data).model_copy(
        update={"assignee_id": assignee_id, "team_id": team, "owner": owner})
    return AssignmentChange(values, kind, {**data, **({"summary": summary} if summary else {})},
                            event)


async def do_assign(
    session: AsyncSession, *, conv: Conversation, assignee_id: int | None,
    team_id: int | None = None, actor_kind: str = "system", actor_id: int | None = None,
    reason: str | None = None, summary: list[str] | None = None, assignee_active: bool = False,
) -> Conversation:
    """Assign (or transfer) a conversation to an agent and/or team of its workspace.

    ``assignee_active``: the caller has just checked, in this transaction, that the assignee is an
    active user of the workspace (routing's capacity claim does), so it is not read again.
    """
    if assignee_id is not None and not assignee_active and not await user_is_active(
            session, workspace_id=conv.workspace_id, user_id=assignee_id):
        raise InvalidInput("cannot assign to a deactivated user", field="assignee_id")
    if team_id is not None:
        await get_team(session, workspace_id=conv.workspace_id, team_id=team_id)
    change = assignment_change(conv, assignee_id=assignee_id, team_id=team_id, reason=reason,
                               summary=summary)
    for key, value in change.values.items():
        if getattr(conv, key) != value:
            setattr(conv, key, value)
    log_event(session, conv, change.kind, actor_kind=actor_kind, actor_id=actor_id,
              data=change.data)
    emit(session, change.event, workspace_id=conv.workspace_id)
    return conv


async def do_assign_row(
    session: AsyncSession, *, conv: Any, assignee_id: int, reason: str | None,
    now: dt.datetime | None = None,
) -> AssignmentChange:
    """Assign a conversation as ``do_assign`` does (the same change, log row and event), for a
    caller that read it as a plain row in this transaction and holds no loaded object of it
    (routing's decision): written by Core statements without the unit of work, one statement
    on PostgreSQL (data-modifying CTEs), three elsewhere. The caller has checked, in this
    transaction, that the assignee is an active user of the workspace. NotFound when the
    conversation is gone."""
    now = now or utcnow()
    change = assignment_change(conv, assignee_id=assignee_id, reason=reason, now=now)
    params = assign_row_params(session, conv=conv, change=change, now=now)
    connection = await session.connection()
    for statement in _assign_row_statements(connection.dialect.name):
        if (await connection.execute(statement, params)).first() is None:
            raise NotFound("conversation not found")
    return change


def assign_row_params(
    session: AsyncSession, *, conv: Any, change: AssignmentChange, now: dt.datetime
) -> dict[str, Any]:
    """Return the parameters of ``do_assign_row``'s statements (and ``assign_row_ctes``')."""
    return {"c_id": conv.id, "c_workspace_id": conv.workspace_id, "c_updated_at": now,
            **{f"c_{key}": value for key, value in change.values.items()},
            "l_kind": change.kind, "l_data": change.data, "l_created_at": now,
            **{f"o_{key}": value for key, value in outbox_values(
                session, change.event, workspace_id=conv.workspace_id).items()}}


_ASSIGNED = ("assignee_id", "team_id", "owner", "assigned_at", "updated_at")
_LOG_COLUMNS = ("kind", "data", "created_at")
_OUTBOX_COLUMNS = ("workspace_id", "name", "payload", "key", "fanned_out", "created_at")


def _assignment_update() -> Any:
    """The conversation's UPDATE of an assignment (``assign_row_params``' ``c_*`` values)."""
    table: Any = Conversation.__table__
    return (
        update(table)
        .where(table.c.id == bindparam("c_id"), table.c.workspace_id == bindparam("c_workspace_id"))
        .values({key: bindparam(f"c_{key}", type_=table.c[key].type) for key in _ASSIGNED})
    )


def assign_row_ctes(gate: Any = None) -> tuple[Any, Any, Any]:
    """Return ``do_assign_row``'s PostgreSQL writes as data-modifying CTEs (the conversation's
    UPDATE, then its log row and its outbox row, both only when the UPDATE found it), for a
    caller that folds an assignment into its own statement with ``assign_row_params``' values;
    ``gate``: a condition the UPDATE also requires (routing's claim: the agent's capacity was
    taken). Built per call: callers cache the statement they build with them."""
    table: Any = Conversation.__table__
    log: Any = ConversationEvent.__table__
    outbox: Any = OutboxEvent.__table__
    changed = _assignment_update().returning(table.c.id, table.c.workspace_id)
    assigned = (changed if gate is None else changed.where(gate)).cte("assigned")
    logged = insert(log).from_select(
        ["workspace_id", "conversation_id", "actor_kind", *_LOG_COLUMNS],
        select(assigned.c.workspace_id, assigned.c.id, literal("system"),
               *(bindparam(f"l_{key}", type_=log.c[key].type) for key in _LOG_COLUMNS)),
    ).cte("logged")
    announced = insert(outbox).from_select(
        list(_OUTBOX_COLUMNS),
        select(*(bindparam(f"o_{key}", type_=outbox.c[key].type) for key in _OUTBOX_COLUMNS)
               ).select_from(assigned),
    ).cte("announced")
    return assigned, logged, announced


@cache
def _assign_row_statements(dialect: str) -> tuple[Any, ...]:
    """Build do_assign_row's statements once per dialect: the conversation's UPDATE, its log row
    and the outbox row, the last two only when the UPDATE found the conversation."""
    if dialect == "postgresql":
        assigned, logged, announced = assign_row_ctes()
        return (select(assigned.c.id).add_cte(logged, announced),)
    table: Any = Conversation.__table__
    log: Any = ConversationEvent.__table__
    outbox: Any = OutboxEvent.__table__
    changed = _assignment_update().returning(table.c.id)
    log_row = insert(log).values(
        workspace_id=bindparam("c_workspace_id"), conversation_id=bindparam("c_id"),
        actor_kind="system", **{key: bindparam(f"l_{key}", type_=log.c[key].type)
                                for key in _LOG_COLUMNS}).returning(log.c.id)
    outbox_row = insert(outbox).values(
        {key: bindparam(f"o_{key}", type_=outbox.c[key].type) for key in _OUTBOX_COLUMNS}
    ).returning(outbox.c.id)
    return changed, log_row, outbox_row


async def do_set_status(
    session: AsyncSession, *, conv: Conversation, status: str, actor_kind: str = "system",
    actor_id: int | None = None, snoozed_until: dt.datetime | None = None,
) -> Conversation:
    """Move a conversation to open/pending/snoozed/resolved, logging resolve and reopen."""
    if status == conv.status:
        return conv
    if status == "snoozed" and (snoozed_until is None or snoozed_until <= utcnow()):
        raise InvalidInput("snoozing needs a future snoozed_until", field="snoozed_until")
    if conv.status == "resolved" and status != "resolved":
        return await do_reopen(session, conv, actor_kind=actor_kind, actor_id=actor_id,
                             status=status)
    previous, conv.status = conv.status, status
    conv.snoozed_until = snoozed_until if status == "snoozed" else None
    if status == "resolved":
        conv.resolved_at = utcnow()
        conv.waiting_since = None
        conv.owner = "resolved"
        log_event(session, conv, "resolved", actor_kind=actor_kind, actor_id=actor_id)
        emit(session, ev.ConversationResolved.of(
            conv, resolved_by=actor_id if actor_kind == "user" else None),
            workspace_id=conv.workspace_id)
    else:
        log_event(session, conv, "snoozed" if status == "snoozed" else "status_changed",
                  actor_kind=actor_kind, actor_id=actor_id,
                  data={"from": previous, "to": status, **(
                      {"until": snoozed_until.isoformat()} if status == "snoozed"
                      and snoozed_until else {})})
    emit(session, ev.ConversationStatusChanged.of(conv, previous_status=previous),
         workspace_id=conv.workspace_id)
    return conv


async def do_reopen(session: AsyncSession, conv: Conversation, *, actor_kind: str,
                    actor_id: int | None, status: str = "open",
                    text: str | None = None) -> Conversation:
    """Reopen a resolved conversation (`text`: the customer's words that reopened it)."""
    conv.status, conv.resolved_at, conv.snoozed_until = status, None, None
    conv.reopened_count += 1
    conv.owner = "agent" if conv.assignee_id is not None else await unassigned_owner(
        session, conv.workspace_id, conv.channel)
    log_event(session, conv, "reopened", actor_kind=actor_kind, actor_id=actor_id)
    emit(session, ev.ConversationReopened.of(conv, text=text, sentiment=detect_sentiment(text)),
         workspace_id=conv.workspace_id)
    emit(session, ev.ConversationStatusChanged.of(conv, previous_status="resolved"),
         workspace_id=conv.workspace_id)
    return conv


def set_labels(conv: Conversation, labels: list[str]) -> None:
    """Replace the conversation's labels (trimmed, deduplicated, at most 64 characters)."""
    wanted = sorted({label.strip() for label in labels if label.strip()})
    if any(len(label) > 64 for label in wanted):
        raise InvalidInput("labels are at most 64 characters", field="labels")
    keep = [row for row in conv.label_rows if row.label in wanted]
    have = {row.label for row in keep}
    conv.label_rows[:] = keep + [
        ConversationLabel(workspace_id=conv.workspace_id, label=label)
        for label in wanted if label not in have
    ]


async def check_update_conversation(
    session: AsyncSession, *, actor: Actor, conversation_id: int, update: ConversationUpdate,
    summary: list[str] | None = None,
) -> Conversation:
    """Apply an agent's change of status, priority, assignment, team or labels.

    An assignment carries the optional transfer note and `summary` (what the conversation is
    about, for the colleague taking over) into the timeline. Assigning to whoever already has it
    changes nothing; with a note it adds a ``handover_note`` line (an agent who picked the
    colleague before typing the note sends the note after the transfer).
    """
    conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    fields = update.model_dump(exclude_unset=True)
    who = AuditedBy(actor_kind=actor.audit_kind, actor_id=actor.user_id)
    if update.unassign or "assignee_id" in fields or "team_id" in fields:
        assignee = None if update.unassign else fields.get("assignee_id", conv.assignee_id)
        team_id = fields.get("team_id")
        if assignee != conv.assignee_id or team_id not in (None, conv.team_id):
            await do_assign(session, conv=conv, assignee_id=assignee, team_id=team_id,
                            reason=update.transfer_note or None, summary=summary, **who)
        elif update.transfer_note:  # the same hands: the note follows the transfer it missed
            log_event(session, conv, "handover_note", data={
                "to_assignee_id": assignee, "to_team_id": conv.team_id,
                "reason": update.transfer_note}, **who)
    if update.status:
        await do_set_status(session, conv=conv, status=update.status,
                            snoozed_until=update.snoozed_until, **who)
    if update.priority and update.priority != conv.priority:
        log_event(session, conv, "priority_changed", data={"from": conv.priority,
                                                          "to": update.priority}, **who)
        conv.priority = update.priority
    if update.labels is not None:
        set_labels(conv, update.labels)
        log_event(session, conv, "labels_changed", data={"labels": conv.labels}, **who)
    for key in ("language", "intent"):
        if fields.get(key):
            setattr(conv, key, fields[key])
    emit(session, ev.ConversationUpdated.of(conv, fields=sorted(fields)),
         workspace_id=conv.workspace_id)
    return conv
