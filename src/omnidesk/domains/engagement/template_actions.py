"""Template writes: keep each inbox's approved templates, send one in a conversation.

A template message is an ordinary outbound message whose meta names the template and its
values (`template`), so the channel's durable delivery job sends it (idempotency key, retries,
dead letters, status callbacks). A 알림톡 also names its SMS/LMS fallback (`fallback`): when the
provider refuses it, the delivery job sends the same text from the workspace's SMS number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.manifests import BY_KIND
from omnidesk.channels.sms.manifest import MANIFEST as SMS
from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import Conflict, InvalidInput
from omnidesk.domains.conversations.actions import do_add_message
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.conversations.service import access_conversation
from omnidesk.domains.engagement.models import MessageTemplate
from omnidesk.domains.engagement.schemas import (
    TemplateCreate,
    TemplateMessageCreate,
    TemplateUpdate,
)
from omnidesk.domains.engagement.service import get_template, list_templates, render_template
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.inboxes.service import first_inbox, get_inbox


def _record(session: AsyncSession, actor: Actor, template: MessageTemplate, action: str) -> None:
    audit(session, workspace_id=template.workspace_id, action=f"engagement.template_{action}",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="message_template",
          object_id=template.id, data={"code": template.code})


async def _template_inbox(session: AsyncSession, workspace_id: int, inbox_id: int) -> Inbox:
    inbox = await get_inbox(session, workspace_id=workspace_id, inbox_id=inbox_id)
    manifest = BY_KIND.get(inbox.kind)
    if manifest is None or not manifest.capabilities.templates:
        kinds = ", ".join(m.name_en for m in BY_KIND.values() if m.capabilities.templates)
        raise InvalidInput(f"{inbox.name} cannot send approved templates (only {kinds})",
                           field="inbox_id")
    return inbox


async def check_create_template(session: AsyncSession, *, actor: Actor,
                                template_in: TemplateCreate) -> MessageTemplate:
    """Add an approved template to an inbox that sends templates (admins)."""
    actor.require("admin")
    await _template_inbox(session, actor.workspace_id, template_in.inbox_id)
    for row in await list_templates(session, workspace_id=actor.workspace_id,
                                    inbox_id=template_in.inbox_id):
        if row.code == template_in.code and row.language == template_in.language:
            raise Conflict(f"the inbox already has template {row.code} ({row.language})")
    template = MessageTemplate(workspace_id=actor.workspace_id, **template_in.model_dump())
    _check_placeholders(template)
    session.add(template)
    await session.flush()
    _record(session, actor, template, "created")
    return template


def _check_placeholders(template: MessageTemplate) -> None:
    """Refuse a body whose placeholders name no declared variable (it could never be filled)."""
    try:
        filled = render_template(template, {v: "x" for v in template.variables})
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="body") from exc
    if "#{" in filled:
        raise InvalidInput("the body has a #{…} placeholder that is not a declared variable",
                           field="body")


async def check_update_template(session: AsyncSession, *, actor: Actor, template_id: int,
                                template_in: TemplateUpdate) -> MessageTemplate:
    """Change a template's text, variables, purpose or review status (admins)."""
    actor.require("admin")
    template = await get_template(session, workspace_id=actor.workspace_id,
                                  template_id=template_id)
    for name, value in template_in.changes().items():
        setattr(template, name, value)
    _check_placeholders(template)
    _record(session, actor, template, "updated")
    return template


async def check_delete_template(session: AsyncSession, *, actor: Actor,
                                template_id: int) -> None:
    """Delete a template (messages already sent keep their text)."""
    actor.require("admin")
    template = await get_template(session, workspace_id=actor.workspace_id,
                                  template_id=template_id)
    _record(session, actor, template, "deleted")
    await session.delete(template)


async def check_send_template(session: AsyncSession, *, actor: Actor, conversation_id: int,
                              message_in: TemplateMessageCreate) -> Message:
    """Send an approved template in a conversation the agent may see."""
    conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    template = await get_template(session, workspace_id=actor.workspace_id,
                                  template_id=message_in.template_id)
    return await do_send_template(session, conv=conv, template=template,
                                  params=message_in.params, author_kind="agent",
                                  author_id=actor.user_id,
                                  sms_fallback=message_in.sms_fallback)


async def do_send_template(
    session: AsyncSession, *, conv: Conversation, template: MessageTemplate,
    params: Mapping[str, str], author_kind: str = "bot", author_id: int | None = None,
    sms_fallback: bool = True, meta: dict[str, Any] | None = None,
) -> Message:
    """Store the template message for its inbox's delivery job (with its SMS fallback)."""
    if template.status != "approved":
        raise InvalidInput(f"template {template.code} is {template.status}, not approved",
                           field="template_id")
    inbox = await _template_inbox(session, conv.workspace_id, template.inbox_id)
    text = render_template(template, params)
    extra: dict[str, Any] = {"template": {"code": template.code, "language": template.language,
                                          "params": {v: str(params[v])
                                                     for v in template.variables}}}
    recipient = BY_KIND[inbox.kind].capabilities.template_recipient
    if sms_fallback and recipient == SMS.identity_kind:
        sms = await first_inbox(session, workspace_id=conv.workspace_id, kind=SMS.kind)
        if sms is not None:
            extra["fallback"] = {"channel": SMS.kind, "inbox_id": sms.id}
    return await do_add_message(session, conv=conv, text=text, author_kind=author_kind,
                                author_id=author_id, channel=inbox.kind, inbox_id=inbox.id,
                                meta={**(meta or {}), **extra})
