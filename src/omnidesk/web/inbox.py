"""The unified inbox: views (mine, unassigned, my team, all) with counts, and filters."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.http import SessionDep
from omnidesk.domains.conversations.models import CHANNELS, PRIORITIES, STATUSES
from omnidesk.domains.conversations.service import (
    INBOX_ORDERS,
    ConversationFilter,
    count_conversations,
    get_last_messages,
    list_inbox,
)
from omnidesk.domains.customers.service import get_customers_by_ids
from omnidesk.domains.engagement.service import count_unread
from omnidesk.domains.inboxes.service import inbox_names
from omnidesk.domains.routing.service import sla_due_times
from omnidesk.web.deps import AgentPage, agent_page, login_redirect, render
from omnidesk.web.inbox_bulk import router as bulk_router

router = APIRouter(include_in_schema=False)
router.include_router(bulk_router)
VIEWS = ("mine", "unassigned", "team", "all")
PAGE_SIZE = 50


@dataclass(frozen=True)
class InboxQuery:
    """The inbox view and filters, as carried in the URL."""

    view: str = "mine"
    status: str = "open"
    channel: str = ""
    label: str = ""
    priority: str = ""
    sort: str = "activity"

    def url_query(self, **changes: str) -> str:
        """Return the query string of these filters with some changed (defaults left out)."""
        values = asdict(replace(self, **changes))
        return urlencode({k: v for k, v in values.items()
                          if v and not (k == "sort" and v == "activity")})


def inbox_query(
    view: Annotated[str, Query(pattern=f"^({'|'.join(VIEWS)})$")] = "mine",
    status: Annotated[str, Query(pattern=f"^({'|'.join(STATUSES)}|any)$")] = "open",
    channel: Annotated[str, Query(pattern=f"^({'|'.join(CHANNELS)})?$")] = "",
    label: Annotated[str, Query(max_length=64)] = "",
    priority: Annotated[str, Query(pattern=f"^({'|'.join(PRIORITIES)})?$")] = "",
    sort: Annotated[str, Query(pattern=f"^({'|'.join(INBOX_ORDERS)})$")] = "activity",
) -> InboxQuery:
    """Parse the inbox filters from the query string (agents land on their own: "mine")."""
    return InboxQuery(view, status, channel, label.strip(), priority, sort)


InboxQueryDep = Annotated[InboxQuery, Depends(inbox_query)]


def view_filter(page: AgentPage, query: InboxQuery, view: str) -> ConversationFilter:
    """Build the conversation filter of one view under the current filters."""
    base = ConversationFilter(
        status=None if query.status == "any" else query.status,
        channel=query.channel or None, label=query.label or None,
        priority=query.priority or None)
    if view == "mine":
        return replace(base, assignee="me")
    if view == "unassigned":
        return replace(base, assignee="none")
    if view == "team":
        return replace(base, team_ids=tuple(m.team_id for m in page.user.memberships))
    return base


async def list_context(session: AsyncSession, page: AgentPage, query: InboxQuery,
                       selected_id: int | None = None, offset: int = 0) -> dict[str, Any]:
    """Load a page of the current view with customers, last messages, unread counts and SLA."""
    flt = view_filter(page, query, query.view)
    rows = await list_inbox(session, actor=page.actor, flt=flt, order=query.sort,
                            offset=offset, limit=PAGE_SIZE)
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    ids = [c.id for c in rows]
    workspace_id = page.actor.workspace_id
    customers = await get_customers_by_ids(session, workspace_id=workspace_id,
                                           customer_ids={c.customer_id for c in rows})
    last = await get_last_messages(session, workspace_id=workspace_id, conversation_ids=set(ids))
    inboxes = await inbox_names(session, workspace_id=workspace_id)
    unread = await count_unread(session, workspace_id=workspace_id, user_id=page.user.id,
                                conversation_ids=ids)
    sla = await sla_due_times(session, workspace_id=workspace_id, conversation_ids=ids)
    return {"conversations": rows, "customers": customers, "last_messages": last,
            "q": query, "selected_id": selected_id, "inbox_names": inboxes, "unread": unread,
            "sla_due": sla, "now": utcnow(), "next_offset": offset + PAGE_SIZE if more else None,
            "offset": offset}


async def nav_context(session: AsyncSession, page: AgentPage, query: InboxQuery) -> dict[str, Any]:
    """Count each view under the current filters."""
    counts = {view: await count_conversations(session, actor=page.actor,
                                              flt=view_filter(page, query, view))
              for view in VIEWS}
    return {"counts": counts, "q": query, "channels": CHANNELS, "priorities": PRIORITIES,
            "statuses": STATUSES}


@router.get("/inbox", response_class=HTMLResponse)
async def inbox(request: Request, session: SessionDep, query: InboxQueryDep) -> Response:
    """Show the inbox with its views, filters and conversation list."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    context = {**await list_context(session, page, query), **await nav_context(session, page, query)}
    return render(request, page, "inbox.html", conversation=None, **context)


@router.get("/inbox/list", response_class=HTMLResponse)
async def inbox_list(request: Request, session: SessionDep, query: InboxQueryDep,
                     selected: int | None = None,
                     offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> Response:
    """Render the conversation list alone (refreshed live), or its next page (`offset`)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    template = "inbox/_rows.html" if offset else "inbox/_list.html"
    return render(request, page, template,
                  **await list_context(session, page, query, selected, offset))


@router.get("/inbox/nav", response_class=HTMLResponse)
async def inbox_nav(request: Request, session: SessionDep, query: InboxQueryDep) -> Response:
    """Render the views with their counts alone (refreshed live)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    return render(request, page, "inbox/_nav.html", **await nav_context(session, page, query))
