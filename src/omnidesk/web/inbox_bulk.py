"""Bulk actions on the inbox list: assign to me, add a label, resolve the selected conversations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.conversations.actions import check_update_conversation
from omnidesk.domains.conversations.schemas import ConversationUpdate
from omnidesk.domains.conversations.service import access_conversation
from omnidesk.web.deps import AgentPage, agent_page, csrf_failed, login_redirect

router = APIRouter(include_in_schema=False)
MAX_BULK = 200
ACTIONS = ("assign_me", "label", "resolve")


async def _update_for(session: SessionDep, page: AgentPage, conversation_id: int, action: str,
                      label: str) -> ConversationUpdate:
    if action == "assign_me":
        return ConversationUpdate(assignee_id=page.user.id)
    if action == "resolve":
        return ConversationUpdate(status="resolved")
    conv = await access_conversation(session, actor=page.actor, conversation_id=conversation_id)
    return ConversationUpdate(labels=[*conv.labels, label])


def _back(url: str) -> str:
    return url if url.startswith("/inbox") else "/inbox"


@router.post("/inbox/bulk")
async def bulk_action(
    request: Request, session: SessionDep,
    action: Annotated[str, Form(pattern=f"^({'|'.join(ACTIONS)})$")],
    ids: Annotated[list[Id], Form(max_length=MAX_BULK)],
    label: Annotated[str, Form(max_length=64)] = "",
    back: Annotated[str, Form(max_length=2000)] = "/inbox",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Apply one action to every selected conversation in one transaction (all or none)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request, csrf or None)) is not None:
        return denied
    if action == "label" and not label.strip():
        return Response("type a label to add", status_code=422)
    try:
        for conversation_id in dict.fromkeys(ids):
            update = await _update_for(session, page, conversation_id, action, label.strip())
            await check_update_conversation(session, actor=page.actor,
                                            conversation_id=conversation_id, update=update)
    except DomainError as exc:
        await session.rollback()
        return Response(exc.message, status_code=exc.status,
                        media_type="text/plain; charset=utf-8")
    await session.commit()
    return RedirectResponse(_back(back), status_code=303)
