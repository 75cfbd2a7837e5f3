"""Engagement API: business events, customer behaviour, message templates and template sends."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from omnidesk.core.api import ApiRoute
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.limits import take_or_refuse
from omnidesk.core.schemas import Id
from omnidesk.domains.commerce.service import list_behaviour_events
from omnidesk.domains.conversations.service import access_customer
from omnidesk.domains.engagement.behaviour_actions import check_record_business_event
from omnidesk.domains.engagement.campaign_actions import (
    check_create_campaign,
    check_delete_campaign,
    check_update_campaign,
)
from omnidesk.domains.engagement.campaign_service import (
    campaign_stats,
    list_campaigns,
    list_consents,
)
from omnidesk.domains.engagement.consent_actions import check_set_consent
from omnidesk.domains.engagement.schemas import (
    BehaviourRead,
    BusinessEventCreate,
    CampaignCreate,
    CampaignRead,
    CampaignUpdate,
    ConsentRead,
    ConsentUpdate,
    TemplateCreate,
    TemplateMessageCreate,
    TemplateRead,
    TemplateUpdate,
)
from omnidesk.domains.engagement.service import list_templates
from omnidesk.domains.engagement.template_actions import (
    check_create_template,
    check_delete_template,
    check_send_template,
    check_update_template,
)

router = APIRouter(prefix="/api/v1/engagement", tags=["engagement"], route_class=ApiRoute)


@router.get("/templates", response_model=list[TemplateRead])
async def read_templates(actor: ActorDep, session: SessionDep,
                         inbox_id: Annotated[Id | None, Query()] = None) -> list[TemplateRead]:
    """List the approved (and pending) templates, of every inbox or of one."""
    rows = await list_templates(session, workspace_id=actor.workspace_id, inbox_id=inbox_id)
    return [TemplateRead.model_validate(r) for r in rows]


@router.post("/templates", response_model=TemplateRead, status_code=201)
async def create_template(template_in: TemplateCreate, actor: ActorDep,
                          session: SessionDep) -> TemplateRead:
    """Register a template the provider approved for an inbox (admins)."""
    row = await check_create_template(session, actor=actor, template_in=template_in)
    await session.commit()
    return TemplateRead.model_validate(row)


@router.patch("/templates/{template_id}", response_model=TemplateRead)
async def update_template(template_id: Id, template_in: TemplateUpdate, actor: ActorDep,
                          session: SessionDep) -> TemplateRead:
    """Change a template's text, variables, purpose or review status (admins)."""
    row = await check_update_template(session, actor=actor, template_id=template_id,
                                      template_in=template_in)
    await session.commit()
    return TemplateRead.model_validate(row)


@router.delete("/templates/{template_id}", status_code=204)
async def delete_template(template_id: Id, actor: ActorDep, session: SessionDep) -> Response:
    """Delete a template."""
    await check_delete_template(session, actor=actor, template_id=template_id)
    await session.commit()
    return Response(status_code=204)


@router.post("/conversations/{conversation_id}/template-messages", status_code=201)
async def send_template(conversation_id: Id, message_in: TemplateMessageCreate,
                        actor: ActorDep, session: SessionDep) -> dict[str, object]:
    """Send an approved template (알림톡, WhatsApp) in a conversation; delivery is a job."""
    msg = await check_send_template(session, actor=actor, conversation_id=conversation_id,
                                    message_in=message_in)
    await session.commit()
    return {"id": msg.id, "conversation_id": msg.conversation_id, "channel": msg.channel,
            "text": msg.text, "delivery_status": msg.delivery_status}


@router.post("/events", response_model=BehaviourRead, status_code=201)
async def record_event(event_in: BusinessEventCreate, request: Request, actor: ActorDep,
                       session: SessionDep) -> BehaviourRead:
    """Record a business event about a customer (order_shipped, delivery_delayed,
    payment_failed) or a server-side site event; proactive campaigns react to it."""
    await limit_events(request, f"workspace:{actor.workspace_id}")
    row = await check_record_business_event(session, actor=actor, event_in=event_in)
    await session.commit()
    return BehaviourRead.model_validate(row)


@router.get("/customers/{customer_id}/events", response_model=list[BehaviourRead])
async def read_customer_events(customer_id: Id, actor: ActorDep, session: SessionDep,
                               limit: Annotated[int, Query(ge=1, le=200)] = 50,
                               ) -> list[BehaviourRead]:
    """List a customer's latest behaviour and business events, newest first."""
    await access_customer(session, actor=actor, customer_id=customer_id)
    rows = await list_behaviour_events(session, workspace_id=actor.workspace_id,
                                       customer_id=customer_id, limit=limit)
    return [BehaviourRead.model_validate(r) for r in rows]


async def limit_events(request: Request, key: str) -> None:
    """Refuse behaviour events past the per-sender rate (per visitor, per workspace API)."""
    await take_or_refuse(request.app.state.events_limiter, (key, "events"), "too many events")


@router.get("/campaigns", response_model=list[CampaignRead])
async def read_campaigns(actor: ActorDep, session: SessionDep) -> list[CampaignRead]:
    """List the campaigns with their reports (sent, opened, replied, converted, opted out)."""
    actor.require("supervisor")
    rows = await list_campaigns(session, workspace_id=actor.workspace_id)
    stats = await campaign_stats(session, workspace_id=actor.workspace_id, campaigns=rows)
    return [CampaignRead.model_validate(r).model_copy(update={"stats": stats[r.id]})
            for r in rows]


@router.post("/campaigns", response_model=CampaignRead, status_code=201)
async def create_campaign(campaign_in: CampaignCreate, actor: ActorDep,
                          session: SessionDep) -> CampaignRead:
    """Create a proactive campaign: trigger, audience, action, purpose (admins)."""
    row = await check_create_campaign(session, actor=actor, campaign_in=campaign_in)
    await session.commit()
    return CampaignRead.model_validate(row)


@router.patch("/campaigns/{campaign_id}", response_model=CampaignRead)
async def update_campaign(campaign_id: Id, campaign_in: CampaignUpdate, actor: ActorDep,
                          session: SessionDep) -> CampaignRead:
    """Change a campaign (admins)."""
    row = await check_update_campaign(session, actor=actor, campaign_id=campaign_id,
                                      campaign_in=campaign_in)
    await session.commit()
    return CampaignRead.model_validate(row)


@router.delete("/campaigns/{campaign_id}", status_code=204)
async def delete_campaign(campaign_id: Id, actor: ActorDep, session: SessionDep) -> Response:
    """Delete a campaign and its report (admins)."""
    await check_delete_campaign(session, actor=actor, campaign_id=campaign_id)
    await session.commit()
    return Response(status_code=204)


@router.get("/customers/{customer_id}/consents", response_model=list[ConsentRead])
async def read_consents(customer_id: Id, actor: ActorDep,
                        session: SessionDep) -> list[ConsentRead]:
    """List a customer's marketing consents per channel (with opt-outs)."""
    await access_customer(session, actor=actor, customer_id=customer_id)
    rows = await list_consents(session, workspace_id=actor.workspace_id,
                               customer_id=customer_id)
    return [ConsentRead.model_validate(r) for r in rows]


@router.put("/customers/{customer_id}/consents", response_model=ConsentRead)
async def set_consent(customer_id: Id, consent_in: ConsentUpdate, actor: ActorDep,
                      session: SessionDep) -> ConsentRead:
    """Record marketing (and night) consent a customer gave or withdrew on a channel."""
    row = await check_set_consent(session, actor=actor, customer_id=customer_id,
                                  consent_in=consent_in)
    await session.commit()
    return ConsentRead.model_validate(row)
