"""The staff search page and the top bar's popover (Ctrl+K): thin routes over domains/search."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from omnidesk.channels.manifests import KINDS
from omnidesk.core.http import SessionDep
from omnidesk.domains.agents.service import list_users
from omnidesk.domains.inboxes.service import list_inboxes
from omnidesk.domains.search.schemas import SearchFilter
from omnidesk.domains.search.service import search
from omnidesk.web.deps import agent_page, login_redirect, render

router = APIRouter(include_in_schema=False)
QueryText = Annotated[str, Query(max_length=200)]


def _filter(**values: str) -> SearchFilter:
    """Build the filter from form fields, empty fields meaning "any"."""
    return SearchFilter.model_validate({k: v for k, v in values.items() if v})


@router.get("/search", response_class=HTMLResponse)
async def search_page(request: Request, session: SessionDep, q: QueryText = "",
                      status: str = "", inbox_id: str = "", channel: str = "",
                      assignee: str = "", date_from: str = "", date_to: str = "") -> Response:
    """Show search results for the top bar's query with the inbox's filters."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    error, results = None, None
    try:
        flt = _filter(status=status, inbox_id=inbox_id, channel=channel, assignee=assignee,
                      date_from=date_from, date_to=date_to)
    except ValidationError:
        flt, error = SearchFilter(), "invalid filter"
    if q.strip() and error is None:
        results = await search(session, actor=page.actor, q=q, flt=flt)
    ws = page.actor.workspace_id
    return render(request, page, "search/page.html", search_q=q, flt=flt, results=results,
                  error=error, inboxes=await list_inboxes(session, workspace_id=ws),
                  channels=KINDS, agents=[u for u in await list_users(session, workspace_id=ws)
                                          if u.is_active],
                  status_code=422 if error else 200)


@router.get("/search/popover", response_class=HTMLResponse)
async def search_popover(request: Request, session: SessionDep, q: QueryText = "") -> Response:
    """Render the top bar's live results (a few of each kind)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if not q.strip():
        return HTMLResponse("")
    results = await search(session, actor=page.actor, q=q, limit=6)
    return render(request, page, "search/_results.html", results=results, today=dt.date.today())
