"""The agent's presence: the topbar control, idle reports, and away when the last socket closes.

The tracker counts each agent's open sockets in this process. When the last one closes and does
not come back within a grace period (a page navigation reconnects within a second), an online
agent becomes away; their next socket (or activity after idle) brings them back online, but only
if it was the tracker that set them away.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, Response

from omnidesk.core.http import SessionDep
from omnidesk.domains.routing.actions import do_set_presence
from omnidesk.domains.routing.service import get_agent_state
from omnidesk.web.deps import agent_page, csrf_failed, login_redirect, render

router = APIRouter(include_in_schema=False)
PRESENCES = ("online", "busy", "away", "offline")
IDLE_SECONDS = 600
GRACE_SECONDS = 20.0


class PresenceTracker:
    """Open agent sockets per user in this process, and who was set away automatically."""

    def __init__(self, grace_seconds: float = GRACE_SECONDS) -> None:
        self.grace_seconds = grace_seconds
        self.sockets: dict[int, int] = {}
        self.auto_away: set[int] = set()
        self.timers: dict[int, asyncio.Task[None]] = {}

    async def connected(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        """Count a socket; bring back online someone this tracker had set away."""
        self.sockets[user_id] = self.sockets.get(user_id, 0) + 1
        timer = self.timers.pop(user_id, None)
        if timer is not None:
            timer.cancel()
        await self.back(app, workspace_id, user_id)

    def disconnected(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        """Uncount a socket; after the grace period without one, set an online agent away."""
        left = max(self.sockets.get(user_id, 0) - 1, 0)
        self.sockets[user_id] = left
        if left == 0 and user_id not in self.timers:
            self.timers[user_id] = asyncio.create_task(self._away_later(app, workspace_id, user_id))

    async def _away_later(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(self.grace_seconds)
            self.timers.pop(user_id, None)
            if not self.sockets.get(user_id):
                await self.away(app, workspace_id, user_id)

    async def away(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        """Set an online agent away and remember it was automatic."""
        if await change_presence(app, workspace_id, user_id, expected="online", new="away"):
            self.auto_away.add(user_id)

    async def back(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        """Bring an automatically-away agent back online (a manual away stays)."""
        if user_id in self.auto_away:
            self.auto_away.discard(user_id)
            await change_presence(app, workspace_id, user_id, expected="away", new="online")


async def change_presence(
    app: FastAPI, workspace_id: int, user_id: int, *, expected: str, new: str
) -> bool:
    """Move an agent from one presence to another in its own transaction, if still expected."""
    async with app.state.session_factory() as session:
        row = await get_agent_state(session, workspace_id=workspace_id, user_id=user_id)
        if row is None or row.presence != expected:
            return False
        await do_set_presence(session, workspace_id=workspace_id, user_id=user_id, presence=new)
        await session.commit()
    return True


def presence_tracker(app: FastAPI) -> PresenceTracker:
    """Return the app's tracker, created on first use."""
    tracker = getattr(app.state, "presence_tracker", None)
    if tracker is None:
        tracker = app.state.presence_tracker = PresenceTracker()
    return tracker


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
    presence_tracker(request.app).auto_away.discard(page.user.id)
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
