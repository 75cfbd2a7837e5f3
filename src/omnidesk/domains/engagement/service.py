"""Engagement reads: widget settings, visitor sessions and history, message templates, and the
contact reason predicted from behaviour (`prediction_service`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.web.manifest import MANIFEST as WEB
from omnidesk.core.errors import InvalidInput, NotFound
from omnidesk.core.security import hash_token
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.conversations.service import list_customer_messages
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.service import find_by_identity
from omnidesk.domains.engagement.models import (
    MessageTemplate,
    ReadMark,
    WidgetSession,
    agent_reader,
)
from omnidesk.domains.engagement.prediction import (  # noqa: F401 - for other domains
    CONFIDENT,
    Prediction,
)
from omnidesk.domains.engagement.prediction_service import (  # noqa: F401 - for other domains
    get_active_model as get_active_contact_reason_model,
)
from omnidesk.domains.engagement.prediction_service import (  # noqa: F401 - for other domains
    predict_contact_reason,
)
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


async def visitor_chat_ended(session: AsyncSession, *, widget_session: WidgetSession) -> bool:
    """Tell whether the visitor's latest web chat is resolved (the widget says it ended; the
    next message reopens it or starts a new one)."""
    customer = await get_visitor_customer(session, widget_session=widget_session)
    if customer is None:
        return False
    status = await session.scalar(
        select(Conversation.status).where(
            Conversation.workspace_id == widget_session.workspace_id,
            Conversation.customer_id == customer.id, Conversation.channel == WEB.kind)
        .order_by(Conversation.id.desc()).limit(1))
    return status == "resolved"


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
        survey=(msg.meta or {}).get("survey"), proactive=bool((msg.meta or {}).get("proactive")),
        quick_replies=[str(r) for r in (msg.meta or {}).get("quick_replies") or []],
        cards=[{"title": str(c.get("title", "")), "url": str(c.get("url", ""))}
               for c in (msg.meta or {}).get("cards") or [] if isinstance(c, dict)])


async def list_templates(session: AsyncSession, *, workspace_id: int,
                         inbox_id: int | None = None) -> list[MessageTemplate]:
    """List the workspace's message templates (of one inbox), by inbox and code."""
    query = select(MessageTemplate).where(MessageTemplate.workspace_id == workspace_id)
    if inbox_id is not None:
        query = query.where(MessageTemplate.inbox_id == inbox_id)
    return list((await session.scalars(
        query.order_by(MessageTemplate.inbox_id, MessageTemplate.code))).all())


async def get_template(session: AsyncSession, *, workspace_id: int,
                       template_id: int) -> MessageTemplate:
    """Return one of the workspace's templates or raise NotFound."""
    row = await session.scalar(select(MessageTemplate).where(
        MessageTemplate.workspace_id == workspace_id, MessageTemplate.id == template_id))
    if row is None:
        raise NotFound("template not found")
    return row


PLACEHOLDER = re.compile(r"#\{([^{}]{1,40})\}|\{\{(\d{1,2})\}\}")


def render_template(template: MessageTemplate, params: Mapping[str, str]) -> str:
    """Fill a template's `#{name}` and `{{n}}` placeholders; every variable needs a value."""
    missing = [v for v in template.variables if not str(params.get(v, "")).strip()]
    if missing:
        raise InvalidInput(f"template {template.code} needs a value for "
                           f"{', '.join(missing)}", field="params")
    unknown = sorted(set(params) - set(template.variables))
    if unknown:
        raise InvalidInput(f"template {template.code} has no variable {', '.join(unknown)}",
                           field="params")

    def fill(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return str(params.get(match.group(1), match.group(0)))
        index = int(match.group(2)) - 1
        names = list(template.variables)
        return str(params[names[index]]) if 0 <= index < len(names) else match.group(0)

    return PLACEHOLDER.sub(fill, template.body)
