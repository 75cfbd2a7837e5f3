"""The conversation view: full history across channels, reply box, side panels."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.manifests import IDENTITY_KINDS, channels_for_identity
from omnidesk.channels.web.manifest import MANIFEST as WEB
from omnidesk.core.errors import NotFound
from omnidesk.core.http import AfterIdQuery, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.agents.service import list_teams, list_users
from omnidesk.domains.assist.service import recognition_messages
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.conversations.service import (
    ConversationFilter,
    access_conversation,
    list_conversations,
    list_messages,
    shown_texts,
)
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.service import (
    get_customer,
    list_merge_suggestions,
    profile_handle,
)
from omnidesk.domains.engagement.service import get_read_mark
from omnidesk.domains.feedback.service import answers_for_conversation, followups_for_conversation
from omnidesk.domains.inboxes.service import find_inbox
from omnidesk.web.deps import AgentPage, agent_page, login_redirect, render
from omnidesk.web.inbox import InboxQueryDep, list_context, nav_context
from omnidesk.web.timeline import router as timeline_router
from omnidesk.web.timeline import timeline_context

router = APIRouter(include_in_schema=False)
router.include_router(timeline_router)
# Which reply channel each kind of customer identity makes possible (the first channel listed
# for it; the website's user id is answered in the widget).
IDENTITY_CHANNELS = {kind: (channels_for_identity(kind) or (WEB.kind,))[0]
                     for kind in IDENTITY_KINDS}


def reply_channels(conv: Conversation, customer: Customer) -> list[str]:
    """List the channels a reply can go out on, the customer's last one first."""
    found = [IDENTITY_CHANNELS[i.kind] for i in customer.identities if i.kind in IDENTITY_CHANNELS]
    found += [IDENTITY_CHANNELS[kind] for kind in IDENTITY_CHANNELS
              if profile_handle(customer, kind)]
    return list(dict.fromkeys([conv.channel, *found]))


async def header_context(session: AsyncSession, page: AgentPage,
                         conv: Conversation) -> dict[str, Any]:
    """Load what the conversation header shows: people and teams to assign to."""
    users = await list_users(session, workspace_id=page.actor.workspace_id)
    teams = await list_teams(session, workspace_id=page.actor.workspace_id)
    inbox = conv.inbox_id and await find_inbox(session, workspace_id=page.actor.workspace_id,
                                               inbox_id=conv.inbox_id)
    closing = None
    if conv.status != "resolved":  # the 알아주기 closing line, ready in the resolve menu
        closing = (await recognition_messages(session, actor=page.actor,
                                              conversation_id=conv.id))[1]
    return {"conversation": conv, "agents": [u for u in users if u.is_active], "teams": teams,
            "people": {u.id: u for u in users}, "inbox": inbox or None, "closing": closing}


async def messages_context(session: AsyncSession, page: AgentPage, conv: Conversation,
                           after_id: int = 0) -> dict[str, Any]:
    """Load messages after an id, with author names and the customer's read mark."""
    messages = await list_messages(session, workspace_id=page.actor.workspace_id,
                                   conversation_id=conv.id, after_id=after_id)
    users = await list_users(session, workspace_id=page.actor.workspace_id)
    read_up_to = await get_read_mark(session, workspace_id=conv.workspace_id,
                                     conversation_id=conv.id, reader="customer")
    # bodies masked by the conversations rule the API uses too; a logged reveal shows the rest
    shown, hidden = await shown_texts(session, workspace_id=page.actor.workspace_id,
                                      messages=messages)
    return {"messages": messages, "people": {u.id: u for u in users},
            "customer_read_up_to": read_up_to, "conversation": conv,
            "shown_text": shown, "hidden_pii": hidden}



async def render_message(session: AsyncSession, templates: Jinja2Templates, page: AgentPage,
                         conv: Conversation, message_id: int) -> str:
    """Render one message of a conversation as the agent's thread shows it ("" when gone)."""
    context = await messages_context(session, page, conv, after_id=message_id - 1)
    context["messages"] = [m for m in context["messages"] if m.id == message_id]
    return templates.get_template("conversation/_messages.html").render(
        user=page.user, workspace=page.workspace, locale=page.locale, **context)


async def customer_context(session: AsyncSession, page: AgentPage,
                           conv: Conversation) -> dict[str, Any]:
    """Load the basic customer panel: profile, identities, recent conversations."""
    customer = await get_customer(session, workspace_id=conv.workspace_id,
                                  customer_id=conv.customer_id)
    recent = await list_conversations(session, actor=page.actor,
                                      flt=ConversationFilter(customer_id=customer.id),
                                      cursor=None, limit=6)
    suggestions = await list_merge_suggestions(session, workspace_id=conv.workspace_id,
                                               customer_id=customer.id, limit=3)
    return {"customer": customer, "recent": recent[:6], "merge_suggestions": suggestions,
            "reply_channels": reply_channels(conv, customer)}


async def feedback_context(session: AsyncSession, conv: Conversation) -> dict[str, Any]:
    """Load the customer's survey answers about this conversation and their follow-ups."""
    ws = conv.workspace_id
    return {"survey_answers": await answers_for_conversation(session, workspace_id=ws,
                                                             conversation_id=conv.id),
            "followups": {f.answer_id: f for f in await followups_for_conversation(
                session, workspace_id=ws, conversation_id=conv.id)}}


@router.get("/conversations/{conversation_id}", response_class=HTMLResponse)
async def conversation_page(request: Request, session: SessionDep, conversation_id: Id,
                            query: InboxQueryDep) -> Response:
    """Show one conversation beside the inbox list, with the customer panel."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    try:
        conv = await access_conversation(session, actor=page.actor,
                                         conversation_id=conversation_id)
    except NotFound:
        return render(request, page, "not_found.html", status_code=404)
    thread = await messages_context(session, page, conv)
    context = {**await list_context(session, page, query, conv.id),
               **await nav_context(session, page, query),
               **thread, **await timeline_context(session, page, conv, thread["messages"]),
               **await header_context(session, page, conv),
               **await customer_context(session, page, conv),
               **await feedback_context(session, conv)}
    return render(request, page, "inbox.html", **context)


@router.get("/conversations/{conversation_id}/messages", response_class=HTMLResponse)
async def messages_fragment(request: Request, session: SessionDep, conversation_id: Id,
                            after_id: AfterIdQuery = 0) -> Response:
    """Render the messages after an id (live updates and catch-up after a reconnect)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    conv = await access_conversation(session, actor=page.actor, conversation_id=conversation_id)
    return render(request, page, "conversation/_messages.html",
                  **await messages_context(session, page, conv, after_id))


@router.get("/conversations/{conversation_id}/header", response_class=HTMLResponse)
async def header_fragment(request: Request, session: SessionDep,
                          conversation_id: Id) -> Response:
    """Render the header with status, assignment, priority and labels."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    conv = await access_conversation(session, actor=page.actor, conversation_id=conversation_id)
    return render(request, page, "conversation/_header.html",
                  **await header_context(session, page, conv))
