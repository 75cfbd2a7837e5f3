"""The conversation's timeline: activity lines (assigned, transferred, resolved, reopened,
snoozed, bot actions, …) between its messages, and the lines added since an event id (live)."""

from __future__ import annotations

import bisect
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.http import AfterIdQuery, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.agents.service import list_teams, list_users
from omnidesk.domains.conversations.models import Conversation, ConversationEvent, Message
from omnidesk.domains.conversations.service import access_conversation, list_events
from omnidesk.web.deps import AgentPage, agent_page, login_redirect, render

router = APIRouter(include_in_schema=False)
# The facts an agent reads in the thread; the rest (created, message, first_response, …) are
# for analytics.
ACTIVITY_KINDS = frozenset({
    "assigned", "unassigned", "transferred", "resolved", "reopened", "snoozed",
    "status_changed", "priority_changed", "labels_changed", "bot_handoff", "returned_to_bot",
    "bot_action", "automation", "survey_answered", "woke", "opted_out", "handover_note",
})


async def activity_names(session: AsyncSession, page: AgentPage) -> dict[str, Any]:
    """Load who is who for activity lines: people and teams by id."""
    users = await list_users(session, workspace_id=page.actor.workspace_id)
    teams = await list_teams(session, workspace_id=page.actor.workspace_id)
    return {"people": {u.id: u for u in users}, "teams_by_id": {t.id: t for t in teams}}


async def list_activities(session: AsyncSession, conv: Conversation,
                          after_id: int = 0) -> list[ConversationEvent]:
    """List the conversation's activity lines (after an event id)."""
    rows = await list_events(session, workspace_id=conv.workspace_id, conversation_id=conv.id)
    return [e for e in rows if e.id > after_id and e.kind in ACTIVITY_KINDS]


def place_activities(messages: list[Message], activities: list[ConversationEvent]
                     ) -> tuple[dict[int, list[ConversationEvent]], list[ConversationEvent]]:
    """Put each activity before the first message written after it (or after the last)."""
    times = [m.created_at for m in messages]
    before: dict[int, list[ConversationEvent]] = {}
    after: list[ConversationEvent] = []
    for event in activities:
        index = bisect.bisect_right(times, event.created_at)
        if index < len(messages):
            before.setdefault(messages[index].id, []).append(event)
        else:
            after.append(event)
    return before, after


async def timeline_context(session: AsyncSession, page: AgentPage, conv: Conversation,
                           messages: list[Message]) -> dict[str, Any]:
    """Load the activity lines of a conversation placed among its messages."""
    activities = await list_activities(session, conv)
    before, after = place_activities(messages, activities)
    return {"activities_before": before, "activities_after": after,
            "last_event_id": max((e.id for e in activities), default=0),
            **await activity_names(session, page)}


@router.get("/conversations/{conversation_id}/activity", response_class=HTMLResponse)
async def activity_fragment(request: Request, session: SessionDep, conversation_id: Id,
                            after: AfterIdQuery = 0) -> Response:
    """Render the activity lines after an event id (the timeline's live updates)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    conv = await access_conversation(session, actor=page.actor, conversation_id=conversation_id)
    activities = await list_activities(session, conv, after)
    return render(request, page, "conversation/_activities.html", activities=activities,
                  **await activity_names(session, page))
