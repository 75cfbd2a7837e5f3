"""Engagement reads: widget settings, visitor sessions and history."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.web.manifest import MANIFEST as WEB
from omnidesk.core.security import hash_token
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.conversations.service import list_customer_messages
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.service import find_by_identity
from omnidesk.domains.engagement.models import ReadMark, WidgetSession, agent_reader
from omnidesk.domains.engagement.schemas import VisitorMessageRead, WidgetSettings
from omnidesk.domains.workspaces.models import Workspace


def widget_settings(workspace: Workspace) -> WidgetSettings:
    """Return the workspace's widget settings with defaults filled in."""
    return WidgetSettings.model_validate((workspace.settings or {}).get("widget") or {})


async def get_widget_session(
    session: AsyncSession, *, workspace_id: int, token: str
) -> WidgetSession | None:
    """Return the workspace's visitor session for this token, or None."""
    return await session.scalar(select(WidgetSession).where(
        WidgetSession.workspace_id == workspace_id,
        WidgetSession.token_hash == hash_token(token)))


async def get_visitor_customer(
    session: AsyncSession, *, widget_session: WidgetSession
) -> Customer | None:
    """Return the customer behind a visitor session once they have written."""
    return await find_by_identity(
        session, workspace_id=widget_session.workspace_id,
        kind=widget_session.identity_kind, value=widget_session.identity_value)


async def list_visitor_messages(
    session: AsyncSession, *, widget_session: WidgetSession, after_id: int = 0
) -> list[Message]:
    """List the visitor's web chat messages after an id (never private notes)."""
    customer = await get_visitor_customer(session, widget_session=widget_session)
    if customer is None:
        return []
    return await list_customer_messages(
        session, workspace_id=widget_session.workspace_id, customer_id=customer.id,
        after_id=after_id, channel=WEB.kind)


async def get_read_mark(
    session: AsyncSession, *, workspace_id: int, conversation_id: int, reader: str
) -> int:
    """Return the last message id this reader has seen in the conversation (0 if none)."""
    value = await session.scalar(select(ReadMark.message_id).where(
        ReadMark.workspace_id == workspace_id, ReadMark.conversation_id == conversation_id,
        ReadMark.reader == reader))
    return int(value or 0)


async def count_unread(
    session: AsyncSession, *, workspace_id: int, user_id: int, conversation_ids: Iterable[int]
) -> dict[int, int]:
    """Count each conversation's customer messages after this agent's own read mark."""
    ids = list(conversation_ids)
    if not ids:
        return {}
    mark = (select(ReadMark.conversation_id, ReadMark.message_id)
            .where(ReadMark.workspace_id == workspace_id,
                   ReadMark.reader == agent_reader(user_id),
                   ReadMark.conversation_id.in_(ids)).subquery())
    query = (select(Message.conversation_id, func.count())
             .select_from(Message)
             .outerjoin(mark, mark.c.conversation_id == Message.conversation_id)
             .where(Message.workspace_id == workspace_id, Message.conversation_id.in_(ids),
                    Message.author_kind == "customer",
                    Message.id > func.coalesce(mark.c.message_id, 0))
             .group_by(Message.conversation_id))
    return {int(cid): int(n) for cid, n in (await session.execute(query)).all()}


def visitor_message(msg: Message, author_name: str | None) -> VisitorMessageRead:
    """Describe a message for the widget (no internal fields)."""
    return VisitorMessageRead(
        id=msg.id, conversation_id=msg.conversation_id, author_kind=msg.author_kind,
        author_name=author_name, text=msg.text, attachments=list(msg.attachments or []),
        created_at=msg.created_at, client_message_id=(msg.meta or {}).get("client_message_id"),
        survey=(msg.meta or {}).get("survey"))
