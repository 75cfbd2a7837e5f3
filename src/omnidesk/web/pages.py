"""The front door: send people to the inbox, or to the login page first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from omnidesk.core.http import SessionDep
from omnidesk.web.auth import has_login, needs_setup
from omnidesk.web.deps import agent_page, login_redirect, staff_navigation

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home(request: Request, session: SessionDep) -> Response:
    """Send people to the inbox, or to the login page first (to set-up on an empty server)."""
    if not has_login(request) and await needs_setup(session):
        return RedirectResponse("/setup", status_code=303)
    return RedirectResponse("/inbox" if has_login(request) else "/login",
                            status_code=303)


@router.get("/settings")
async def settings_home(request: Request, session: SessionDep) -> Response:
    """Open the first settings page this person may use (admins: getting started)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    links = staff_navigation(request, page).settings
    return RedirectResponse(links[0].href if links else "/settings/security", status_code=303)


@router.get("/favicon.ico")
async def favicon() -> Response:
    """Answer browsers that ask for the icon at its old address (pages link the SVG)."""
    return RedirectResponse("/static/favicon.svg", status_code=301)
