"""What an agent does in a conversation: reply, note, assign, resolve, snooze, reopen, label."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from omnidesk.core.body_limit import body_limit
from omnidesk.core.db import commit_once, utcnow
from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import AfterId, Id
from omnidesk.domains.assist.service import conversation_summary
from omnidesk.domains.conversations.actions import (
    check_post_message,
    check_update_conversation,
    do_return_to_bot,
)
from omnidesk.domains.conversations.schemas import ConversationUpdate, MessageCreate
from omnidesk.domains.conversations.service import (
    access_conversation,
    access_customer,
    find_message_by_client_id,
)
from omnidesk.domains.customers.merge_actions import check_merge_customers
from omnidesk.web.attachments import store_upload
from omnidesk.web.conversation import header_context, messages_context
from omnidesk.web.deps import agent_page, csrf_failed, login_redirect, render

router = APIRouter(include_in_schema=False)
SNOOZE_HOURS = {"1h": 1, "4h": 4, "1d": 24, "3d": 72}


def _problem(message: str, status: int = 422) -> Response:
    return Response(message, status_code=status, media_type="text/plain; charset=utf-8")


@router.post("/conversations/{conversation_id}/messages", response_class=HTMLResponse)
@body_limit("upload")
async def post_message(
    request: Request, session: SessionDep, conversation_id: Id,
    text: Annotated[str, Form()] = "", mode: Annotated[str, Form()] = "reply",
    channel: Annotated[str, Form()] = "", after_id: Annotated[AfterId, Form()] = 0,
    client_message_id: Annotated[str, Form(max_length=100)] = "",
    file: UploadFile | None = None,
) -> Response:
    """Send a reply (or add a private note) and render the messages after `after_id`.

    The composer sends an idempotency key with each message and keeps it across retries, so
    a double-click, a retry after a lost answer or a resend after a reconnect is stored once.
    """
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request)) is not None:
        return denied
    settings = request.app.state.settings
    try:
        attachments = []
        if file is not None and file.filename:
            attachments.append(await store_upload(settings.upload_dir, page.actor.workspace_id,
                                                  file, settings.max_upload_bytes))
        message_in = MessageCreate(
            text=text.strip() or (attachments[0].name if attachments else ""),
            is_private=mode == "note", channel=channel or None, attachments=attachments,
            content_type="file" if attachments and not text.strip() else "text",
            client_message_id=client_message_id or None)

        async def post() -> object:
            return await check_post_message(session, actor=page.actor,
                                            conversation_id=conversation_id, message_in=message_in)

        async def repeat() -> object:
            if not client_message_id:
                return None
            return await find_message_by_client_id(
                session, workspace_id=page.actor.workspace_id,
                client_message_id=client_message_id)

        await commit_once(session, post, repeat)
    except ValidationError:
        return _problem("empty message")
    except DomainError as exc:
        return _problem(exc.message, exc.status)
    conv = await access_conversation(session, actor=page.actor, conversation_id=conversation_id)
    return render(request, page, "conversation/_messages.html",
                  **await messages_context(session, page, conv, after_id))


async def _update(request: Request, session: SessionDep, conversation_id: int,
                  update: ConversationUpdate) -> Response:
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request)) is not None:
        return denied
    try:
        summary = await conversation_summary(
            session, actor=page.actor, conversation_id=conversation_id,
            locale=page.locale) if update.assignee_id is not None else None
        conv = await check_update_conversation(session, actor=page.actor,
                                               conversation_id=conversation_id, update=update,
                                               summary=summary)
    except DomainError as exc:
        return _problem(exc.message, exc.status)
    await session.commit()
    return render(request, page, "conversation/_header.html",
                  **await header_context(session, page, conv))


@router.post("/conversations/{conversation_id}/return-to-bot", response_class=HTMLResponse)
async def return_to_bot(request: Request, session: SessionDep, conversation_id: Id) -> Response:
    """Give the conversation back to the bot (the agent decides the bot can finish it)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request)) is not None:
        return denied
    conv = await access_conversation(session, actor=page.actor, conversation_id=conversation_id)
    if not await do_return_to_bot(session, conv=conv, actor_kind="agent",
                                  actor_id=page.actor.user_id, reason="agent decision"):
        return _problem("only a queued or agent-owned conversation can go back to the bot", 409)
    await session.commit()
    return render(request, page, "conversation/_header.html",
                  **await header_context(session, page, conv))


@router.post("/customers/{customer_id}/merge", response_class=HTMLResponse)
async def merge_customer(request: Request, session: SessionDep, customer_id: Id,
                         other_customer_id: Annotated[Id, Form()]) -> Response:
    """Merge another customer (and their history) into this one, then reload the page."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request)) is not None:
        return denied
    try:
        for one in (customer_id, other_customer_id):
            await access_customer(session, actor=page.actor, customer_id=one)
        await check_merge_customers(session, actor=page.actor, customer_id=customer_id,
                                    other_customer_id=other_customer_id)
    except DomainError as exc:
        return _problem(exc.message, exc.status)
    await session.commit()
    return Response(status_code=204, headers={"HX-Refresh": "true"})


@router.post("/conversations/{conversation_id}/assign", response_class=HTMLResponse)
async def assign(request: Request, session: SessionDep, conversation_id: Id,
                 assignee_id: Annotated[str, Form()] = "",
                 team_id: Annotated[str, Form()] = "",
                 note: Annotated[str, Form(max_length=1000)] = "") -> Response:
    """Assign or transfer to an agent and/or team ('' unassigns), with an optional note."""
    fields: dict[str, object] = {"unassign": not assignee_id}
    if note.strip():
        fields["transfer_note"] = note.strip()
    if assignee_id.isdigit():
        fields["assignee_id"] = int(assignee_id)
    if team_id.isdigit():
        fields["team_id"] = int(team_id)
    return await _update(request, session, conversation_id, ConversationUpdate(**fields))


@router.post("/conversations/{conversation_id}/status", response_class=HTMLResponse)
async def set_status(request: Request, session: SessionDep, conversation_id: Id,
                     status: Annotated[str, Form(pattern="^(open|pending|snoozed|resolved)$")],
                     snooze: Annotated[str, Form()] = "1d") -> Response:
    """Resolve, snooze (for a while), reopen or set pending."""
    until: dt.datetime | None = None
    if status == "snoozed":
        until = utcnow() + dt.timedelta(hours=SNOOZE_HOURS.get(snooze, 24))
    return await _update(request, session, conversation_id,
                         ConversationUpdate(status=status, snoozed_until=until))


@router.post("/conversations/{conversation_id}/resolve", response_class=HTMLResponse)
async def resolve(request: Request, session: SessionDep, conversation_id: Id,
                  closing: Annotated[str, Form(max_length=5000)] = "",
                  send_closing: Annotated[str, Form(max_length=1)] = "") -> Response:
    """Resolve, first sending the closing message to the customer when asked to."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request)) is not None:
        return denied
    try:
        if send_closing and closing.strip():
            await check_post_message(session, actor=page.actor, conversation_id=conversation_id,
                                     message_in=MessageCreate(text=closing.strip()))
        conv = await check_update_conversation(session, actor=page.actor,
                                               conversation_id=conversation_id,
                                               update=ConversationUpdate(status="resolved"))
    except DomainError as exc:
        return _problem(exc.message, exc.status)
    await session.commit()
    return render(request, page, "conversation/_header.html",
                  **await header_context(session, page, conv))


@router.post("/conversations/{conversation_id}/priority", response_class=HTMLResponse)
async def set_priority(request: Request, session: SessionDep, conversation_id: Id,
                       priority: Annotated[str, Form(pattern="^(low|normal|high|urgent)$")],
                       ) -> Response:
    """Change the priority."""
    return await _update(request, session, conversation_id, ConversationUpdate(priority=priority))


@router.post("/conversations/{conversation_id}/labels", response_class=HTMLResponse)
async def set_labels(request: Request, session: SessionDep, conversation_id: Id,
                     labels: Annotated[str, Form()] = "") -> Response:
    """Replace the labels with a comma-separated list."""
    wanted = [label.strip() for label in labels.split(",") if label.strip()]
    return await _update(request, session, conversation_id, ConversationUpdate(labels=wanted))
