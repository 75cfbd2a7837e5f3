"""Engagement writes: start visitor sessions, take visitor messages, record read marks."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.web.manifest import MANIFEST as WEB
from omnidesk.core.db import utcnow
from omnidesk.core.errors import InvalidInput
from omnidesk.core.security import hash_token
from omnidesk.domains.conversations.actions import do_take_inbound
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.conversations.schemas import Attachment, InboundMessage, RawInbound
from omnidesk.domains.customers.service import signed_attributes
from omnidesk.domains.engagement.models import (
    AGENT_READER_PREFIX,
    READERS,
    ReadMark,
    WidgetSession,
)
from omnidesk.domains.engagement.prediction_actions import (  # noqa: F401 - for other layers
    do_train_contact_reason_model,
)
from omnidesk.domains.engagement.schemas import WidgetSessionCreate
from omnidesk.domains.engagement.service import get_widget_session
from omnidesk.domains.inboxes.actions import do_create_inbox
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.inboxes.service import website_inbox
from omnidesk.domains.workspaces.models import Workspace


async def do_start_widget_session(
    session: AsyncSession, *, workspace: Workspace, session_in: WidgetSessionCreate
) -> tuple[WidgetSession, str]:
    """Restore the session of a valid token or start a new one; return it with its token.

    A visitor whose user_id signature fails is treated as anonymous, never as that user; an
    identified session is only restored for the same verified user (not after a sign-out).
    Only what the signature covers is verified (`customers.service.signed_attributes`).
    """
    proven = signed_attributes(workspace.secret, user_id=session_in.user_id,
                               email=session_in.email, signature=session_in.signature)
    verified = "user_id" in proven
    if session_in.token:
        current = await get_widget_session(session, workspace_id=workspace.id,
                                           token=session_in.token)
        if current is not None and current.verified == verified and (
                not verified or current.identity_value == session_in.user_id):
            current.last_seen_at = utcnow()
            current.name = session_in.name or current.name
            if session_in.email:
                current.email, current.email_verified = session_in.email, "email" in proven
            current.locale = session_in.locale or current.locale
            return current, session_in.token
    token = secrets.token_urlsafe(32)
    row = WidgetSession(
        workspace_id=workspace.id, token_hash=hash_token(token),
        identity_kind="user_id" if verified else "web_visitor",
        identity_value=session_in.user_id if verified else f"v_{secrets.token_urlsafe(18)}",
        verified=verified, name=session_in.name, email=session_in.email,
        email_verified="email" in proven, locale=session_in.locale)
    session.add(row)
    await session.flush()
    return row, token


async def do_ensure_web_inbox(session: AsyncSession, *, workspace_id: int) -> Inbox:
    """Return the workspace's website-widget inbox, adding it on the first visitor message."""
    inbox = await website_inbox(session, workspace_id=workspace_id)
    if inbox is None:
        inbox = await do_create_inbox(session, workspace_id=workspace_id, kind=WEB.kind,
                                      name=WEB.name_en, sealed_settings="")
    return inbox


async def do_receive_visitor_message(
    session: AsyncSession, *, widget_session: WidgetSession, text: str, client_message_id: str,
    raw: RawInbound, attachments: list[Attachment] | None = None,
    meta: dict[str, Any] | None = None,
) -> Message:
    """Store a widget message through intake (raw event first, once per session and client
    message id); a retried client_message_id returns the stored message and writes nothing."""
    widget_session.last_seen_at = utcnow()
    inbox = await do_ensure_web_inbox(session, workspace_id=widget_session.workspace_id)
    key = f"{widget_session.id}:{client_message_id}"
    inbound = InboundMessage(
        channel=WEB.kind, inbox_id=inbox.id, provider_message_id=key,
        identity_kind=widget_session.identity_kind,
        identity_value=widget_session.identity_value,
        identity_verified=widget_session.verified, customer_name=widget_session.name,
        customer_email=widget_session.email, email_verified=widget_session.email_verified,
        text=text, attachments=attachments or [],
        content_type="file" if attachments and not text else "text",
        meta={**(meta or {}), "client_message_id": client_message_id,
              **({"language": widget_session.locale} if widget_session.locale else {})},
    )
    message, _ = await do_take_inbound(session, workspace_id=widget_session.workspace_id,
                                       inbound=inbound, dedupe_key=key, raw=raw)
    return message


async def do_mark_read(
    session: AsyncSession, *, workspace_id: int, conversation_id: int, reader: str,
    message_id: int,
) -> ReadMark:
    """Move a reader's read mark forward (never back)."""
    if reader not in READERS and not reader.startswith(AGENT_READER_PREFIX):
        raise InvalidInput(f"unknown reader {reader!r}", field="reader")
    row = await session.scalar(select(ReadMark).where(
        ReadMark.workspace_id == workspace_id, ReadMark.conversation_id == conversation_id,
        ReadMark.reader == reader))
    if row is None:
        row = ReadMark(workspace_id=workspace_id, conversation_id=conversation_id,
                       reader=reader, message_id=0)
        session.add(row)
    row.message_id = max(row.message_id or 0, message_id)
    await session.flush()
    return row
