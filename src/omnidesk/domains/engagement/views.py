"""Engagement API: message templates per inbox and template messages in a conversation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from omnidesk.core.api import ApiRoute
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.engagement.schemas import (
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
