"""The demo store (한빛리빙) product page with the chat widget embedded by its one script tag."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from omnidesk.core.http import SessionDep
from omnidesk.domains.inboxes.service import website_calendar
from omnidesk.domains.workspaces.service import get_workspace_by_slug

router = APIRouter(include_in_schema=False)
DEMO_SLUG = "hanbit"
# The page plays a customer's website: its own policy, allowing the widget's script and frame.
STORE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
             "frame-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'")


@router.get("/demo/store", response_class=HTMLResponse)
async def demo_store(request: Request, session: SessionDep) -> Response:
    """Show the demo store's refrigerator page; the widget talks to workspace `hanbit`."""
    workspace = await get_workspace_by_slug(session, slug=DEMO_SLUG)
    calendar = workspace and await website_calendar(session, workspace=workspace)
    hours = calendar.weekly_summary("ko") if calendar else None  # the widget's hours
    response = request.app.state.templates.TemplateResponse(
        request, "demo_store.html", {"locale": "ko", "slug": DEMO_SLUG, "hours": hours})
    response.headers["Content-Security-Policy"] = STORE_CSP
    return response
