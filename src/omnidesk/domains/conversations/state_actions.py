"""Conversation state changes: open, assign and transfer, status (resolve, snooze, reopen),
labels and priority, each with its log row and event in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
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
    previous = (conv.assignee_id, conv.team_id)
    conv.assignee_id = assignee_id
    conv.team_id = team_id if team_id is not None else conv.team_id
    conv.assigned_at = utcnow() if assignee_id is not None else None
    if conv.owner != "resolved" and (assignee_id is not None or conv.owner == "agent"):
        conv.owner = "agent" if assignee_id is not None else "queued"
    kind = "transferred" if previous[0] is not None and assignee_id is not None else (
        "assigned" if assignee_id is not None else "unassigned")
    data = {"from_assignee_id": previous[0], "to_assignee_id": assignee_id,
            "from_team_id": previous[1], "to_team_id": conv.team_id, "reason": reason}
    log_event(session, conv, kind, actor_kind=actor_kind, actor_id=actor_id,
              data={**data, **({"summary": summary} if summary else {})})
    emit(session, ev.ConversationAssigned.of(conv, change=kind, **data),
         workspace_id=conv.workspace_id)
    return conv


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
