"""Teamwork pages: the "mentions" view and badge, and the supervisor's whisper and take-over."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.agents.service import list_users
from omnidesk.domains.conversations.mention_actions import do_mark_mentions_seen
from omnidesk.domains.conversations.service import (
    count_unseen_mentions,
    list_mentions,
    shown_texts,
)
from omnidesk.domains.conversations.team_actions import check_take_over, check_whisper
from omnidesk.web.deps import agent_page, agent_post, login_redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/mentions", response_class=HTMLResponse)
async def mentions_page(request: Request, session: SessionDep) -> Response:
    """List the notes that @mentioned the agent, newest first, and mark them seen."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    rows = await list_mentions(session, actor=page.actor)
    unseen = {m.id for m, _ in rows if m.seen_at is None}
    await do_mark_mentions_seen(session, actor=page.actor)
    await session.commit()
    people = {u.id: u for u in await list_users(session, workspace_id=page.actor.workspace_id)}
    shown, _hidden = await shown_texts(session, workspace_id=page.actor.workspace_id,
                                       messages=[note for _, note in rows])
    return render(request, page, "contacts/mentions.html", mentions=rows, unseen=unseen,
                  people=people, shown_text=shown, search_q="")


@router.get("/mentions/count", response_class=HTMLResponse)
async def mentions_count(request: Request, session: SessionDep) -> Response:
    """Render the top bar's unseen-mentions badge (empty when none)."""
    page = await agent_page(request, session)
    if page is None:
        return HTMLResponse("", status_code=401)
    count = await count_unseen_mentions(session, actor=page.actor)
    return HTMLResponse(str(count) if count else "")


@router.post("/conversations/{conversation_id}/whisper", response_class=HTMLResponse)
async def whisper(request: Request, session: SessionDep, conversation_id: Id,
                  text: Annotated[str, Form(max_length=20000)] = "") -> Response:
    """Post a supervisor's whisper (agents only; never sent to the customer)."""
    page = await agent_post(request, session)
    if isinstance(page, Response):
        return page
    try:
        await check_whisper(session, actor=page.actor, conversation_id=conversation_id,
                            text=text)
    except DomainError as exc:
        return HTMLResponse(exc.message, status_code=exc.status)
    await session.commit()
    return HTMLResponse("", status_code=204)


@router.post("/conversations/{conversation_id}/take-over", response_class=HTMLResponse)
async def take_over(request: Request, session: SessionDep, conversation_id: Id) -> Response:
    """Assign the conversation to the supervisor watching it, then reload the page."""
    page = await agent_post(request, session)
    if isinstance(page, Response):
        return page
    try:
        await check_take_over(session, actor=page.actor, conversation_id=conversation_id)
    except DomainError as exc:
        return HTMLResponse(exc.message, status_code=exc.status)
    await session.commit()
    return Response(status_code=204, headers={"HX-Refresh": "true"})
