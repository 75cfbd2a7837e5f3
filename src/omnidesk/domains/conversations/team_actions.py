"""Supervision writes: supervisors' whispers to the agent and take-overs (mentions are in
``mention_actions.py``).

A whisper is a private note (``is_private``) marked ``meta["whisper"]``: like every private note
it is never delivered to the customer on any channel (the delivery job sends public outbound
messages only, the widget's fan-out skips private ones), and agents see it highlighted.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput, PermissionDenied
from omnidesk.domains.conversations.actions import check_update_conversation, do_add_message
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.conversations.schemas import ConversationUpdate
from omnidesk.domains.conversations.service import access_conversation

SUPERVISOR_ROLES = frozenset({"supervisor", "admin"})


def require_supervisor(actor: Actor) -> None:
    """Refuse anyone but a supervisor or admin (whisper, take over)."""
    if actor.role not in SUPERVISOR_ROLES:
        raise PermissionDenied("only supervisors and admins may do that")


async def check_whisper(session: AsyncSession, *, actor: Actor, conversation_id: int,
                        text: str) -> Message:
    """Let a supervisor whisper to the agent: a private note only agents see, never sent."""
    require_supervisor(actor)
    body = text.strip()
    if not body:
        raise InvalidInput("a whisper needs some text", field="text")
    conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    return await do_add_message(session, conv=conv, text=body[:20000], author_kind="agent",
                                author_id=actor.user_id, is_private=True,
                                meta={"whisper": True})


async def check_take_over(session: AsyncSession, *, actor: Actor,
                          conversation_id: int) -> Conversation:
    """Let a supervisor take a live conversation over: it is assigned to them (audited)."""
    require_supervisor(actor)
    if actor.user_id is None:
        raise InvalidInput("only a person can take a conversation over", field="actor")
    conv = await check_update_conversation(
        session, actor=actor, conversation_id=conversation_id,
        update=ConversationUpdate(assignee_id=actor.user_id))
    audit(session, workspace_id=actor.workspace_id, action="conversation.taken_over",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="conversation",
          object_id=conv.id, data={})
    return conv
