"""Assist API: customer 360 profile, PII reveal, notes, assist panel, canned responses, segments."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from omnidesk.core.api import ApiRoute
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.assist import actions, service
from omnidesk.domains.assist.contact_actions import do_add_note, do_reveal_pii
from omnidesk.domains.assist.customer360 import build_profile
from omnidesk.domains.assist.recognition_actions import (
    do_update_recognition_settings,
    read_recognition_settings,
)
from omnidesk.domains.assist.schemas import (
    AssistRead,
    CannedChoice,
    CannedMove,
    CannedResponseCreate,
    CannedResponseRead,
    CannedResponseUpdate,
    ContactRead,
    CustomerProfile,
    NamedRead,
    NoteIn,
    RecognitionSettings,
    RevealIn,
)
from omnidesk.domains.assist.segments import segments_from_settings
from omnidesk.domains.conversations.service import access_customer
from omnidesk.domains.workspaces.service import get_workspace

router = APIRouter(prefix="/api/v1", tags=["assist"], route_class=ApiRoute)
LocaleQuery = Annotated[str | None, Query(pattern="^(ko|en)$")]


@router.get("/customers/{customer_id}/profile", response_model=CustomerProfile)
async def read_profile(customer_id: Id, actor: ActorDep, session: SessionDep,
                       locale: LocaleQuery = None, conversation_id: Id | None = None
                       ) -> CustomerProfile:
    """Return the customer 360 profile (seen beside a conversation, if given), masked."""
    return await build_profile(session, actor=actor, customer_id=customer_id, locale=locale,
                               conversation_id=conversation_id)


@router.post("/customers/{customer_id}/reveal", response_model=ContactRead)
async def reveal(customer_id: Id, body: RevealIn, actor: ActorDep,
                 session: SessionDep) -> ContactRead:
    """Unmask the customer's personal data; the read is written to the audit log."""
    contact = await do_reveal_pii(session, actor=actor, customer_id=customer_id,
                                  fields=body.fields, reason=body.reason)
    await session.commit()
    return ContactRead(**vars(contact))


@router.post("/customers/{customer_id}/notes", status_code=201)
async def add_note(customer_id: Id, body: NoteIn, actor: ActorDep,
                   session: SessionDep) -> dict[str, Any]:
    """Add a note about the customer."""
    note = await do_add_note(session, actor=actor, customer_id=customer_id, body=body.body)
    await session.commit()
    return {"id": note.id, "body": note.body, "created_at": note.created_at}


@router.get("/customers/{customer_id}/segments", response_model=list[NamedRead])
async def customer_segments(customer_id: Id, actor: ActorDep, session: SessionDep,
                            locale: LocaleQuery = None) -> list[NamedRead]:
    """List the segments the customer belongs to."""
    await access_customer(session, actor=actor, customer_id=customer_id)
    return await service.customer_segments(session, workspace_id=actor.workspace_id,
                                           customer_id=customer_id, locale=locale or "ko")


@router.get("/segments", response_model=list[NamedRead])
async def list_segments(actor: ActorDep, session: SessionDep,
                        locale: LocaleQuery = None) -> list[NamedRead]:
    """List the workspace's segment definitions with readable descriptions."""
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    lang = locale or workspace.default_locale
    return [NamedRead(key=s.key, name=s.name(lang), description=s.describe(lang))
            for s in segments_from_settings(workspace.settings)]


@router.post("/personas/refresh")
async def refresh_personas(actor: ActorDep, session: SessionDep) -> list[dict[str, Any]]:
    """Re-cluster customers into personas (supervisors) and return them."""
    personas = await actions.do_assign_personas(session, actor=actor)
    await session.commit()
    return [{**p.as_attribute(), "size": p.size} for p in personas]


@router.get("/conversations/{conversation_id}/assist", response_model=AssistRead)
async def read_assist(conversation_id: Id, request: Request, actor: ActorDep,
                      session: SessionDep, draft: Annotated[str | None, Query(max_length=4000)]
                      = None, locale: LocaleQuery = None) -> AssistRead:
    """Return suggestions, greeting/closing, next actions, summary and draft warnings."""
    assist, _ = await service.build_assist(
        session, actor=actor, conversation_id=conversation_id, draft=draft, locale=locale,
        llm=getattr(request.app.state, "llm_client", None))
    return assist


@router.get("/canned-responses", response_model=list[CannedResponseRead])
async def list_canned(actor: ActorDep, session: SessionDep) -> list[CannedResponseRead]:
    """List the canned responses available to the caller."""
    rows = await service.list_canned_responses(session, actor=actor)
    return [CannedResponseRead.model_validate(r) for r in rows]


@router.post("/canned-responses", response_model=CannedResponseRead, status_code=201)
async def create_canned(body: CannedResponseCreate, actor: ActorDep,
                        session: SessionDep) -> CannedResponseRead:
    """Create a canned response."""
    row = await actions.do_create_canned_response(session, actor=actor, canned_in=body)
    await session.commit()
    return CannedResponseRead.model_validate(row)


@router.patch("/canned-responses/{canned_id}", response_model=CannedResponseRead)
async def update_canned(canned_id: Id, body: CannedResponseUpdate, actor: ActorDep,
                        session: SessionDep) -> CannedResponseRead:
    """Change a canned response."""
    row = await actions.do_update_canned_response(session, actor=actor, canned_id=canned_id,
                                                  canned_in=body)
    await session.commit()
    return CannedResponseRead.model_validate(row)


@router.post("/canned-responses/{canned_id}/move", response_model=CannedResponseRead)
async def move_canned(canned_id: Id, body: CannedMove, actor: ActorDep,
                      session: SessionDep) -> CannedResponseRead:
    """Move a canned response one place up or down among those of its scope."""
    row = await actions.do_move_canned_response(session, actor=actor, canned_id=canned_id,
                                                move=body)
    await session.commit()
    return CannedResponseRead.model_validate(row)


@router.get("/conversations/{conversation_id}/canned-responses",
            response_model=list[CannedChoice])
async def canned_for_conversation(conversation_id: Id, actor: ActorDep,
                                  session: SessionDep) -> list[CannedChoice]:
    """List the caller's canned responses filled with this conversation's variables."""
    return await service.canned_choices(session, actor=actor, conversation_id=conversation_id)


@router.delete("/canned-responses/{canned_id}", status_code=204)
async def delete_canned(canned_id: Id, actor: ActorDep, session: SessionDep) -> Response:
    """Delete a canned response."""
    await actions.do_delete_canned_response(session, actor=actor, canned_id=canned_id)
    await session.commit()
    return Response(status_code=204)


@router.get("/assist/recognition", response_model=RecognitionSettings)
async def read_recognition(actor: ActorDep, session: SessionDep) -> RecognitionSettings:
    """Return the greeting and closing templates in effect (the workspace's or the defaults)."""
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    return read_recognition_settings(workspace.settings)


@router.patch("/assist/recognition", response_model=RecognitionSettings)
async def update_recognition(body: RecognitionSettings, actor: ActorDep,
                             session: SessionDep) -> RecognitionSettings:
    """Replace the greeting or closing templates (supervisors); unknown variables are a 422."""
    result = await do_update_recognition_settings(session, actor=actor, settings_in=body)
    await session.commit()
    return result
