"""Conversations API: inbox filters, messages and the event log.

Message text comes back as staff see it, personal data masked (`service.shown_texts`, the rule
the agent's web thread uses too); the clear text only through the logged reveal route below.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.api import ApiRoute
from omnidesk.core.db import commit_once, utcnow
from omnidesk.core.http import (
    ActorDep,
    AfterIdQuery,
    CursorQuery,
    IntakeAdmission,
    LimitQuery,
    SessionDep,
)
from omnidesk.core.pagination import Page, page_of
from omnidesk.core.schemas import Id
from omnidesk.domains.conversations import actions, service
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.conversations.schemas import (
    ConversationCreate,
    ConversationEventRead,
    ConversationRead,
    ConversationUpdate,
    MessageCreate,
    MessageRead,
    Priority,
    RawInbound,
    Status,
)
from omnidesk.domains.conversations.secret_actions import do_reveal_message
from omnidesk.domains.privacy.schemas import RevealedMessage, RevealMessageIn

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"], route_class=ApiRoute)


@router.get("", response_model=Page[ConversationRead])
async def list_conversations(
    actor: ActorDep,
    session: SessionDep,
    status: Status | None = None,
    assignee: Annotated[str | None, Query(pattern=r"^(me|none|\d+)$",
                                          description="user id, 'me' or 'none'")] = None,
    team_id: Id | None = None,
    channel: Annotated[str | None, Query(max_length=16)] = None,
    label: Annotated[str | None, Query(max_length=64)] = None,
    priority: Priority | None = None,
    customer_id: Id | None = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[ConversationRead]:
    """List conversations, newest first, filtered by status, assignee, team, channel, label."""
    flt = service.ConversationFilter(status=status, assignee=assignee, team_id=team_id,
                                     channel=channel, label=label, priority=priority,
                                     customer_id=customer_id)
    rows = await service.list_conversations(session, actor=actor, flt=flt, cursor=cursor,
                                            limit=limit)
    items, next_cursor = page_of(rows, limit)
    return Page(items=[_conversation(c) for c in items],
                next_cursor=next_cursor)


async def raw_inbound(request: Request) -> RawInbound:
    """Capture a customer message's request as received, for the raw event store."""
    return RawInbound(body=await request.body(), headers=dict(request.headers),
                      received_at=utcnow())


@router.post("", response_model=ConversationRead, status_code=201,
             dependencies=[IntakeAdmission])
async def create_conversation(
    conv_in: ConversationCreate, actor: ActorDep, session: SessionDep, response: Response,
    request: Request,
) -> ConversationRead:
    """Open a conversation for a customer.

    Repeated with the same client_message_id, it answers 200 with the conversation it opened.
    """
    async def open_it() -> tuple[Conversation, bool]:
        return await actions.check_create_conversation(
            session, actor=actor, conv_in=conv_in, raw=await raw_inbound(request)), True

    async def repeat() -> tuple[Conversation, bool] | None:
        found = conv_in.client_message_id and await service.find_conversation_opened_by(
            session, actor=actor, channel=conv_in.channel, customer_id=conv_in.customer_id,
            client_message_id=conv_in.client_message_id)
        return (found, False) if found else None

    done = await repeat()
    conv, created = done if done is not None else await commit_once(session, open_it, repeat)
    if not created:
        response.status_code = 200
    return _conversation(conv)


@router.get("/{conversation_id}", response_model=ConversationRead)
async def read_conversation(
    conversation_id: Id, actor: ActorDep, session: SessionDep
) -> ConversationRead:
    """Return one conversation."""
    conv = await service.access_conversation(session, actor=actor,
                                             conversation_id=conversation_id)
    return _conversation(conv)


@router.patch("/{conversation_id}", response_model=ConversationRead)
async def update_conversation(
    conversation_id: Id, update: ConversationUpdate, actor: ActorDep, session: SessionDep
) -> ConversationRead:
    """Assign, transfer, resolve, snooze, reopen, reprioritize or relabel a conversation."""
    conv = await actions.check_update_conversation(session, actor=actor,
                                                   conversation_id=conversation_id,
                                                   update=update)
    await session.commit()
    return _conversation(conv)


@router.get("/{conversation_id}/messages", response_model=list[MessageRead])
async def list_messages(
    conversation_id: Id, actor: ActorDep, session: SessionDep,
    after_id: AfterIdQuery = 0,
) -> list[MessageRead]:
    """List a conversation's messages (and private notes) in order."""
    conv = await service.access_conversation(session, actor=actor,
                                             conversation_id=conversation_id)
    rows = await service.list_messages(session, workspace_id=actor.workspace_id,
                                       conversation_id=conv.id, after_id=after_id)
    return await _shown(session, actor.workspace_id, rows)


@router.post("/{conversation_id}/messages", response_model=MessageRead, status_code=201,
             dependencies=[IntakeAdmission])
async def post_message(
    conversation_id: Id, message_in: MessageCreate, actor: ActorDep, session: SessionDep,
    response: Response, request: Request,
) -> MessageRead:
    """Post a reply, a private note, or (API channel) a customer message.

    A message repeated with the same client_message_id answers 200 with the stored one.
    """
    async def post() -> tuple[Message, bool]:
        return await actions.check_post_message(
            session, actor=actor, conversation_id=conversation_id, message_in=message_in,
            raw=await raw_inbound(request))

    async def repeat() -> tuple[Message, bool] | None:
        if not message_in.client_message_id:
            return None
        found = await service.find_message_by_client_id(
            session, workspace_id=actor.workspace_id,
            client_message_id=message_in.client_message_id)
        return None if found is None else (found, False)

    msg, created = await commit_once(session, post, repeat)
    if not created:
        response.status_code = 200
    return (await _shown(session, actor.workspace_id, [msg]))[0]


def _conversation(conv: Conversation) -> ConversationRead:
    """Read a conversation out with its subject masked as staff see it."""
    read = ConversationRead.model_validate(conv)
    if not conv.subject:
        return read
    return read.model_copy(update={"subject": service.shown_text(conv.subject)})


async def _shown(session: AsyncSession, workspace_id: int,
                 messages: list[Message]) -> list[MessageRead]:
    """Read messages out with their text masked as staff see it."""
    shown, hidden = await service.shown_texts(session, workspace_id=workspace_id,
                                              messages=messages)
    return [MessageRead.model_validate(m).model_copy(
        update={"text": shown.get(m.id, m.text), "pii_masked": m.id in hidden}) for m in messages]


@router.get("/{conversation_id}/events", response_model=list[ConversationEventRead])
async def list_events(
    conversation_id: Id, actor: ActorDep, session: SessionDep
) -> list[ConversationEventRead]:
    """Return the conversation's append-only event log."""
    conv = await service.access_conversation(session, actor=actor,
                                             conversation_id=conversation_id)
    rows = await service.list_events(session, workspace_id=actor.workspace_id,
                                     conversation_id=conv.id)
    return [ConversationEventRead.model_validate(e) for e in rows]


@router.post("/{conversation_id}/messages/{message_id}/reveal", response_model=RevealedMessage)
async def reveal_message(conversation_id: Id, message_id: Id, body: RevealMessageIn,
                         actor: ActorDep, session: SessionDep, request: Request
                         ) -> RevealedMessage:
    """Show a message in clear (encrypted and display-masked values); the read is logged."""
    revealed = await do_reveal_message(session, actor=actor, message_id=message_id,
                                       reason=body.reason, conversation_id=conversation_id,
                                       ip=request.client.host if request.client else None)
    await session.commit()
    return revealed
