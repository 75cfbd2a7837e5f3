"""The composer's macro bar: the macros an agent may run, each one click on the conversation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.automation.macro_actions import check_run_macro
from omnidesk.domains.automation.service import list_macros
from omnidesk.domains.conversations.service import access_conversation
from omnidesk.web.deps import agent_page, csrf_failed, login_redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/conversations/{conversation_id}/macros", response_class=HTMLResponse)
async def macro_bar(request: Request, session: SessionDep, conversation_id: Id) -> Response:
    """Render the macro buttons for a conversation (empty when there are none)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    try:  # the bar names the conversation: only for one the agent may see
        await access_conversation(session, actor=page.actor, conversation_id=conversation_id)
    except DomainError as exc:
        return Response(exc.message, status_code=exc.status)
    macros = await list_macros(session, actor=page.actor)
    return render(request, page, "conversation/_macros.html", macros=macros,
                  conversation_id=conversation_id)


@router.post("/conversations/{conversation_id}/macros/{macro_id}/run",
             response_class=HTMLResponse)
async def run_macro(request: Request, session: SessionDep, conversation_id: Id,
                    macro_id: Id) -> Response:
    """Run the macro's actions in order, then reload the conversation to show what changed."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request)) is not None:
        return denied
    try:
        await check_run_macro(session, actor=page.actor, macro_id=macro_id,
                              conversation_id=conversation_id)
    except DomainError as exc:
        return Response(exc.message, status_code=exc.status,
                        media_type="text/plain; charset=utf-8")
    await session.commit()
    return Response(status_code=204, headers={"HX-Refresh": "true"})
