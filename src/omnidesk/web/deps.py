"""What every agent page needs: the logged-in agent, their workspace, language and CSRF token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.domains.agents.models import User
from omnidesk.domains.agents.schemas import NotifySettings
from omnidesk.domains.agents.service import get_user
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.service import get_workspace
from omnidesk.web.auth import csrf_ok, csrf_token, resolve_actor
from omnidesk.web.navigation import Navigation, navigation_for, served_paths


@dataclass(frozen=True)
class AgentPage:
    """The logged-in agent behind a page request."""

    actor: Actor
    user: User
    workspace: Workspace

    @property
    def locale(self) -> str:
        """Return the agent's UI language."""
        return self.user.locale if self.user.locale in {"ko", "en"} else "ko"


async def agent_page(request: Request, session: AsyncSession) -> AgentPage | None:
    """Return the logged-in agent (session cookie only), or None."""
    if request.headers.get("authorization"):
        return None
    actor = await resolve_actor(request, session)
    if actor is None or actor.kind != "user" or actor.user_id is None:
        return None
    user = await get_user(session, workspace_id=actor.workspace_id, user_id=actor.user_id)
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    return AgentPage(actor, user, workspace)


def login_redirect(request: Request) -> Response:
    """Send a logged-out browser to the login page (HTMX follows HX-Redirect)."""
    if request.headers.get("hx-request"):
        return Response(status_code=401, headers={"HX-Redirect": "/login"})
    return RedirectResponse("/login", status_code=303)


def forbidden(request: Request, page: AgentPage, message: str) -> HTMLResponse:
    """Answer 403 inside the staff layout: what the page needs (a msgid) and a way back."""
    return render(request, page, "forbidden.html", status_code=403, message=message)


def csrf_failed(request: Request, token: str | None = None) -> Response | None:
    """Answer 403 when a post carries no valid CSRF token (form field or X-CSRF-Token)."""
    if csrf_ok(request, token):
        return None
    return Response("invalid or missing CSRF token", status_code=403)


async def agent_post(request: Request, session: AsyncSession) -> AgentPage | Response:
    """Return the signed-in staff page for a form post, or the answer to send instead
    (the login redirect, or 403 without a valid CSRF token)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    return csrf_failed(request) or page


def staff_paths(request: Request) -> frozenset[str]:
    """Return the menu's addresses this app serves (worked out once per app)."""
    routes: frozenset[str] | None = getattr(request.app.state, "staff_paths", None)
    if routes is None:
        routes = request.app.state.staff_paths = served_paths(request.app.routes)
    return routes


def staff_navigation(request: Request, page: AgentPage) -> Navigation:
    """Return the links of this person's top bar (pages this app serves, by their role)."""
    return navigation_for(page.actor, routes=staff_paths(request))


def render(request: Request, page: AgentPage, template: str, status_code: int = 200,
           **values: Any) -> HTMLResponse:
    """Render a staff template with the person, workspace, language, navigation and CSRF token."""
    context = {"user": page.user, "workspace": page.workspace, "locale": page.locale,
               "csrf_token": csrf_token(request), "nav": staff_navigation(request, page),
               "notify_settings": NotifySettings.of(page.user.notify), **values}
    return request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status_code)
