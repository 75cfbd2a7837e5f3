"""The agent's presence in the topbar: the control, and idle reports from the page."""

from __future__ import annotations

from typing import Annotated, Any, get_args

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from omnidesk.core.http import SessionDep
from omnidesk.domains.routing.actions import do_set_presence
from omnidesk.domains.routing.schemas import PresenceName
from omnidesk.domains.routing.service import get_agent_state
from omnidesk.realtime.presence import presence_tracker
from omnidesk.web.deps import agent_page, csrf_failed, login_redirect, render

router = APIRouter(include_in_schema=False)
PRESENCES: tuple[str, ...] = get_args(PresenceName)
IDLE_SECONDS = 600


async def _control(request: Request, session: Any, page: Any) -> Response:
    row = await get_agent_state(
        session, workspace_id=page.actor.workspace_id, user_id=page.user.id
    )
    return render(request, page, "presence/_control.html", presences=PRESENCES,
                  presence=row.presence if row else "offline", idle_seconds=IDLE_SECONDS)


@router.get("/presence", response_class=HTMLResponse)
async def presence_control(request: Request, session: SessionDep) -> Response:
    """Render the topbar presence control with the agent's current state."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    return await _control(request, session, page)


@router.post("/presence", response_class=HTMLResponse)
async def set_presence(request: Request, session: SessionDep,
                       presence: Annotated[str, Form(pattern="^(online|busy|away|offline)$")],
                       csrf: Annotated[str | None, Form()] = None) -> Response:
    """Set the agent's own presence from the topbar."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    await presence_tracker(request.app).chose(page.user.id)
    await do_set_presence(session, workspace_id=page.actor.workspace_id, user_id=page.user.id,
                          presence=presence)
    await session.commit()
    return await _control(request, session, page)


@router.post("/presence/idle")
async def report_idle(request: Request, session: SessionDep,
                      idle: Annotated[bool, Form()],
                      csrf: Annotated[str | None, Form()] = None) -> Response:
    """Set an idle online agent away, and bring them back when they return."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    tracker, ws = presence_tracker(request.app), page.actor.workspace_id
    if idle:
        await tracker.away(request.app, ws, page.user.id)
    else:
        await tracker.back(request.app, ws, page.user.id)
    return Response(status_code=204)
