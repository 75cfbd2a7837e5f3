"""The supervisor's live view: queues, waiting conversations and agents, with moves and presence.

The board is one HTMX partial that supervisor.js reloads when the realtime hub reports a routing,
presence or assignment change, so every supervisor screen stays current without a reload.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.conversations.service import count_open_by_assignee, list_reopened
from omnidesk.domains.customers.service import get_customers_by_ids
from omnidesk.domains.feedback.actions import check_close_followup
from omnidesk.domains.feedback.schemas import FollowUpClose
from omnidesk.domains.feedback.service import list_open_followups
from omnidesk.domains.routing.assignment.transfer_actions import (
    check_set_presence,
    do_move_to_agent,
    do_move_to_queue,
)
from omnidesk.domains.routing.overview import list_active_entries, list_agent_states, queue_stats
from omnidesk.domains.routing.schemas import AgentStateRead
from omnidesk.domains.routing.service import list_queues
from omnidesk.web.deps import (
    AgentPage,
    agent_page,
    csrf_failed,
    forbidden,
    login_redirect,
    render,
)
from omnidesk.web.presence import PRESENCES

router = APIRouter(include_in_schema=False)
SUPERVISOR_ROLES = ("supervisor", "admin")


def wait_label(seconds: float) -> str:
    """Format a duration compactly: 45s, 12m, 3h 5m, 2d 4h."""
    s = int(max(seconds, 0))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m"
    if s < 86400:
        return f"{s // 3600}h {s % 3600 // 60}m"
    return f"{s // 86400}d {s % 86400 // 3600}h"


async def board_context(session: AsyncSession, page: AgentPage) -> dict[str, Any]:
    """Load queues with statistics, active conversations and agents (a fixed number of queries)."""
    ws, now = page.actor.workspace_id, utcnow()
    queues = await list_queues(session, workspace_id=ws)
    active = await list_active_entries(session, workspace_id=ws, now=now)
    agents = await list_agent_states(session, workspace_id=ws)
    followups = await list_open_followups(session, workspace_id=ws)
    customers = await get_customers_by_ids(
        session, workspace_id=ws, customer_ids={a.entry.customer_id for a in active}
        | {answer.customer_id for _, answer in followups}
    )
    return {
        "queues": queues, "stats": queue_stats(queues, active, now), "active": active,
        "agents": agents, "agent_names": {a.user_id: a.name for a in agents},
        "queue_names": {q.id: q.name for q in queues}, "customers": customers, "now": now,
        "presences": PRESENCES, "wait_label": wait_label, "since": _since(now),
        "followups": followups, **await attention_context(session, page, agents),
    }  # fmt: skip


async def attention_context(session: AsyncSession, page: AgentPage,
                            agents: list[AgentStateRead]) -> dict[str, Any]:
    """Load what needs a supervisor's eye: reopened conversations, and chats held by agents
    who are offline or over their capacity."""
    ws = page.actor.workspace_id
    reopened = await list_reopened(session, actor=page.actor)
    held = await count_open_by_assignee(session, workspace_id=ws)
    flagged = []
    for agent in agents:
        over = any(c.load > c.capacity for c in agent.channels.values())
        if held.get(agent.user_id) and (agent.presence == "offline" or over):
            flagged.append({"agent": agent, "held": held[agent.user_id],
                            "reason": "offline" if agent.presence == "offline" else "over"})
    names = await get_customers_by_ids(session, workspace_id=ws,
                                       customer_ids={c.customer_id for c in reopened})
    return {"reopened": reopened, "flagged": flagged, "reopened_customers": names}


def _since(now: dt.datetime) -> Any:
    return lambda moment: wait_label((now - moment).total_seconds()) if moment else ""


async def supervisor_page(request: Request, session: AsyncSession) -> AgentPage | Response:
    """Return the logged-in supervisor or admin, else a redirect (logged out) or 403."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if page.user.role not in SUPERVISOR_ROLES:
        return forbidden(request, page, "Only supervisors and admins can open this page.")
    return page


@router.get("/supervisor", response_class=HTMLResponse)
async def supervisor(request: Request, session: SessionDep) -> Response:
    """Show the live supervisor view."""
    page = await supervisor_page(request, session)
    if isinstance(page, Response):
        return page
    return render(request, page, "supervisor/page.html", **await board_context(session, page))


@router.get("/supervisor/board", response_class=HTMLResponse)
async def board(request: Request, session: SessionDep) -> Response:
    """Render the board alone (reloaded live)."""
    page = await supervisor_page(request, session)
    if isinstance(page, Response):
        return page
    return render(request, page, "supervisor/_board.html", **await board_context(session, page))


async def _act(request: Request, session: AsyncSession, csrf: str | None, action: Any) -> Response:
    """Run a supervisor action, commit, and answer with the fresh board (or its error)."""
    page = await supervisor_page(request, session)
    if isinstance(page, Response):
        return page
    if (denied := csrf_failed(request, csrf)) is not None:
        return denied
    try:
        await action(page)
    except DomainError as exc:
        await session.rollback()  # expires the loaded agent: load them again
        page = await agent_page(request, session) or page
        context = await board_context(session, page)
        return render(request, page, "supervisor/_board.html", status_code=exc.status,
                      error=exc.message, **context)  # fmt: skip
    await session.commit()
    return render(request, page, "supervisor/_board.html", **await board_context(session, page))


@router.post("/supervisor/conversations/{conversation_id}/queue", response_class=HTMLResponse)
async def move_to_queue(request: Request, session: SessionDep, conversation_id: Id,
                        queue_id: Annotated[Id, Form()],
                        csrf: Annotated[str | None, Form()] = None) -> Response:
    """Move a conversation to another queue."""
    return await _act(request, session, csrf, lambda page: do_move_to_queue(
        session, actor=page.actor, conversation_id=conversation_id, queue_id=queue_id))


@router.post("/supervisor/conversations/{conversation_id}/agent", response_class=HTMLResponse)
async def move_to_agent(request: Request, session: SessionDep, conversation_id: Id,
                        agent_id: Annotated[Id, Form()],
                        csrf: Annotated[str | None, Form()] = None) -> Response:
    """Assign a conversation to an agent."""
    return await _act(request, session, csrf, lambda page: do_move_to_agent(
        session, actor=page.actor, conversation_id=conversation_id, agent_id=agent_id))


@router.post("/supervisor/agents/{user_id}/presence", response_class=HTMLResponse)
async def set_agent_presence(request: Request, session: SessionDep, user_id: Id,
                             presence: Annotated[str, Form(pattern="^(online|busy|away|offline)$")],
                             csrf: Annotated[str | None, Form()] = None) -> Response:
    """Change an agent's presence."""
    return await _act(request, session, csrf, lambda page: check_set_presence(
        session, actor=page.actor, user_id=user_id, presence=presence))


@router.post("/supervisor/followups/{followup_id}/close", response_class=HTMLResponse)
async def close_followup(request: Request, session: SessionDep, followup_id: Id,
                         note: Annotated[str, Form(max_length=2000)] = "",
                         csrf: Annotated[str | None, Form()] = None) -> Response:
    """Close a follow-up after a low score, with a note of what was done."""
    return await _act(request, session, csrf, lambda page: check_close_followup(
        session, actor=page.actor, followup_id=followup_id, close_in=FollowUpClose(note=note)))
