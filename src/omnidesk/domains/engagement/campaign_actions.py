"""Campaign writes: keep campaigns (admins) and fire one for a customer, once per occasion.

Firing decides in one place: audience (tiers, segments), then for marketing the law's checks
(`campaign_service.marketing_refusal`), then the action. Every decision is a `CampaignSend`
row keyed by (campaign, customer, occasion), so a trigger seen twice — two scheduler
processes, a redelivered event — acts once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.email.manifest import MANIFEST as EMAIL
from omnidesk.channels.web.manifest import MANIFEST as WEB
from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.domains.agents.service import get_team, get_user
from omnidesk.domains.assist.service import customer_standing
from omnidesk.domains.commerce.models import BEHAVIOUR_KINDS
from omnidesk.domains.conversations.actions import do_add_message, do_assign, do_open_conversation
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.conversations.service import latest_conversation_for_customer
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.service import get_customer
from omnidesk.domains.engagement.actions import do_ensure_web_inbox
from omnidesk.domains.engagement.campaign_service import get_campaign, marketing_refusal
from omnidesk.domains.engagement.events import CampaignDecided
from omnidesk.domains.engagement.models import Campaign, CampaignSend
from omnidesk.domains.engagement.schemas import CampaignAction, CampaignCreate, CampaignUpdate
from omnidesk.domains.engagement.service import get_template
from omnidesk.domains.engagement.template_actions import do_send_template
from omnidesk.domains.inboxes.service import first_inbox
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.service import get_workspace

VISITOR_KINDS = ("user_id", "web_visitor")  # identities a widget session signs in with
PLACEHOLDER = re.compile(r"\{(name|value|order)\}")
AD_MARK = {"ko": "(광고) ", "en": "(Ad) "}
OPT_OUT_HINT = {"ko": "\n수신거부: '수신거부'라고 답장해 주세요.", "en": "\nReply STOP to opt out."}


async def _check(session: AsyncSession, workspace_id: int, campaign: CampaignCreate) -> None:
    trigger, action = campaign.trigger, campaign.action
    if trigger.kind == "event" and trigger.event not in BEHAVIOUR_KINDS:
        raise InvalidInput(f"an event trigger names one of {', '.join(BEHAVIOUR_KINDS)}",
                           field="trigger.event")
    if trigger.kind == "repeat_visit" and not trigger.url_contains:
        raise InvalidInput("a repeat-visit trigger names the page (url_contains)",
                           field="trigger.url_contains")
    if action.kind != "alimtalk" and not action.text.strip():
        raise InvalidInput(f"a {action.kind} action needs its text", field="action.text")
    if action.kind == "alimtalk":
        if campaign.purpose != "service":
            raise InvalidInput("알림톡 carries only service (transactional) messages; send "
                               "marketing by widget or email", field="purpose")
        if action.template_id is None:
            raise InvalidInput("a 알림톡 action names its approved template",
                               field="action.template_id")
        template = await get_template(session, workspace_id=workspace_id,
                                      template_id=action.template_id)
        missing = [v for v in template.variables if v not in action.params]
        if missing:
            raise InvalidInput(f"give the template's {', '.join(missing)}",
                               field="action.params")
    for user_id in (action.author_id, action.assignee_id):
        if user_id is not None:
            await get_user(session, workspace_id=workspace_id, user_id=user_id)
    if action.team_id is not None:
        await get_team(session, workspace_id=workspace_id, team_id=action.team_id)


def _record(session: AsyncSession, actor: Actor, campaign: Campaign, action: str) -> None:
    audit(session, workspace_id=campaign.workspace_id, action=f"engagement.campaign_{action}",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="campaign",
          object_id=campaign.id, data={"name": campaign.name})


async def check_create_campaign(session: AsyncSession, *, actor: Actor,
                                campaign_in: CampaignCreate) -> Campaign:
    """Validate and store a campaign (admins)."""
    actor.require("admin")
    await _check(session, actor.workspace_id, campaign_in)
    campaign = Campaign(workspace_id=actor.workspace_id, **campaign_in.model_dump(mode="json"))
    session.add(campaign)
    await session.flush()
    _record(session, actor, campaign, "created")
    return campaign


async def check_update_campaign(session: AsyncSession, *, actor: Actor, campaign_id: int,
                                campaign_in: CampaignUpdate) -> Campaign:
    """Change a campaign (the whole result is checked again)."""
    actor.require("admin")
    campaign = await get_campaign(session, workspace_id=actor.workspace_id,
                                  campaign_id=campaign_id)
    merged = CampaignCreate.model_validate({
        "name": campaign.name, "enabled": campaign.enabled, "purpose": campaign.purpose,
        "trigger": campaign.trigger, "audience": campaign.audience, "action": campaign.action,
        "conversion_hours": campaign.conversion_hours,
        **campaign_in.model_dump(mode="json", exclude_unset=True)})
    await _check(session, actor.workspace_id, merged)
    for name, value in merged.model_dump(mode="json").items():
        setattr(campaign, name, value)
    _record(session, actor, campaign, "updated")
    return campaign


async def check_delete_campaign(session: AsyncSession, *, actor: Actor, campaign_id: int) -> None:
    """Delete a campaign and its report."""
    actor.require("admin")
    campaign = await get_campaign(session, workspace_id=actor.workspace_id,
                                  campaign_id=campaign_id)
    _record(session, actor, campaign, "deleted")
    await session.delete(campaign)


async def _in_audience(session: AsyncSession, campaign: Campaign, customer_id: int) -> bool:
    tiers, segments = campaign.audience.get("tiers") or [], campaign.audience.get("segments") or []
    if not tiers and not segments:
        return True
    tier, keys = await customer_standing(session, workspace_id=campaign.workspace_id,
                                         customer_id=customer_id)
    return (not tiers or tier in tiers) and (not segments or bool(set(keys) & set(segments)))


def _channel(action: CampaignAction) -> str | None:
    return {"widget": WEB.kind, "email": EMAIL.kind}.get(action.kind)


async def do_fire_campaign(
    session: AsyncSession, *, campaign: Campaign, customer_id: int, occasion: str,
    context: Mapping[str, Any] | None = None, now: dt.datetime | None = None,
) -> CampaignSend | None:
    """Decide and act on one occasion for one customer; None if out of audience or decided."""
    now = now or utcnow()
    if not await _in_audience(session, campaign, customer_id):
        return None
    action = CampaignAction.model_validate(campaign.action)
    channel = _channel(action)
    workspace = await get_workspace(session, workspace_id=campaign.workspace_id)
    reason = None
    if campaign.purpose == "marketing" and channel is not None:
        reason = await marketing_refusal(session, workspace=workspace, customer_id=customer_id,
                                         channel=channel, at=now)
    send = CampaignSend(workspace_id=campaign.workspace_id, campaign_id=campaign.id,
                        customer_id=customer_id, occasion=occasion[:80],
                        purpose=campaign.purpose, channel=channel,
                        status="suppressed" if reason else "sent", reason=reason,
                        created_at=now)
    try:
        async with session.begin_nested():  # the unique occasion: decided once, ever
            session.add(send)
            await session.flush()
    except IntegrityError:
        return None
    if reason is None:
        customer = await get_customer(session, workspace_id=campaign.workspace_id,
                                      customer_id=customer_id)
        await _act(session, workspace, campaign, action, customer, send, dict(context or {}))
    emit(session, CampaignDecided(campaign_id=campaign.id, customer_id=customer_id,
                                  send_id=send.id, status=send.status, reason=send.reason,
                                  channel=send.channel, conversation_id=send.conversation_id),
         workspace_id=campaign.workspace_id)
    return send


def _fill(text: str, customer: Customer, context: dict[str, Any]) -> str:
    values = {"name": customer.name or "", "order": str(context.get("order") or ""),
              "value": f"{float(context['value']):,.0f}" if context.get("value") else ""}
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def _marketing(text: str, locale: str) -> str:
    """Mark an ad as the law asks: (광고) first, and how to opt out for free."""
    return f"{AD_MARK[locale]}{text}{OPT_OUT_HINT[locale]}"


async def _conversation(session: AsyncSession, customer: Customer, channel: str,
                        inbox_id: int | None, subject: str) -> Conversation:
    latest = await latest_conversation_for_customer(
        session, workspace_id=customer.workspace_id, customer_id=customer.id, channel=channel)
    if latest is not None and latest.status != "resolved":
        return latest
    return await do_open_conversation(session, workspace_id=customer.workspace_id,
                                      customer_id=customer.id, channel=channel,
                                      subject=subject, actor_kind="system", inbox_id=inbox_id,
                                      language=customer.locale)


async def _act(session: AsyncSession, workspace: Workspace, campaign: Campaign,
               action: CampaignAction, customer: Customer, send: CampaignSend,
               context: dict[str, Any]) -> None:
    """Run the campaign's action; a customer it cannot reach turns the send into a failure."""
    locale = "en" if customer.locale == "en" else "ko"
    text = _fill(action.text, customer, context)
    if campaign.purpose == "marketing" and action.kind in {"widget", "email"}:
        text = _marketing(text, locale)
    meta = {"campaign_id": campaign.id, "proactive": True}
    if action.kind == "widget":
        if not any(i.kind in VISITOR_KINDS for i in customer.identities):
            send.status, send.reason = "failed", "no_widget_visitor"
            return
        inbox = await do_ensure_web_inbox(session, workspace_id=workspace.id)
        conv = await _conversation(session, customer, WEB.kind, inbox.id, campaign.name)
        msg = await do_add_message(session, conv=conv, text=text,
                                   author_kind="agent" if action.author_id else "bot",
                                   author_id=action.author_id, meta=meta)
    elif action.kind == "email":
        mailbox = await first_inbox(session, workspace_id=workspace.id, kind=EMAIL.kind)
        if mailbox is None or not customer.email:
            send.status, send.reason = "failed", "no_email" if mailbox else "no_email_inbox"
            return
        conv = await _conversation(session, customer, EMAIL.kind, mailbox.id,
                                   action.subject or campaign.name)
        msg = await do_add_message(session, conv=conv, text=text, author_kind="bot", meta=meta)
    elif action.kind == "alimtalk":
        template = await get_template(session, workspace_id=workspace.id,
                                      template_id=action.template_id or 0)
        params = {k: _fill(v, customer, context) for k, v in action.params.items()}
        conv = await _conversation(session, customer, WEB.kind, None, campaign.name)
        msg = await do_send_template(session, conv=conv, template=template, params=params,
                                     meta=meta)
    else:  # a task: a private note in a conversation assigned to the agent or team
        latest = await latest_conversation_for_customer(
            session, workspace_id=workspace.id, customer_id=customer.id)
        conv = latest or await _conversation(session, customer, WEB.kind, None, campaign.name)
        msg = await do_add_message(session, conv=conv, text=text, author_kind="system",
                                   is_private=True, meta=meta)
        if action.assignee_id or action.team_id:
            await do_assign(session, conv=conv, assignee_id=action.assignee_id,
                            team_id=action.team_id, actor_kind="system", actor_id=None)
    send.conversation_id, send.message_id, send.channel = conv.id, msg.id, msg.channel
