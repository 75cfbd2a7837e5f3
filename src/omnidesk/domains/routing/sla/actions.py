"""SLA writes: due times for new queue entries and the periodic warning/breach check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.events import emit
from omnidesk.domains.conversations.service import get_conversation, list_events
from omnidesk.domains.routing.events import SLA_EVENTS
from omnidesk.domains.routing.models import SlaClockRow
from omnidesk.domains.routing.service import get_conversation_calendar, get_default_sla_policy
from omnidesk.domains.routing.sla.clocks import (
    SlaClock,
    SlaPolicy,
    StatusInterval,
    evaluate_sla,
    intervals_from_changes,
    sla_events,
)
from omnidesk.domains.workspaces.service import Calendar

STATUS_EVENT_KINDS = ("status_changed", "snoozed")


def first_response_target(targets: dict[str, Any], conv: Any, priority: str) -> float | None:
    """Return the first-response target in business seconds, None when none applies."""
    target = (targets.get(priority) or {}).get("first_response")
    if target is None or conv.first_response_at is not None:
        return None
    return float(target)


def first_response_due_at(
    targets: dict[str, Any] | None,
    calendar: Calendar,
    conv: Any,
    priority: str,
    now: dt.datetime,
) -> dt.datetime | None:
    """Return the first-response due time from already loaded SLA targets and calendar."""
    target = None if targets is None else first_response_target(targets, conv, priority)
    if target is None:
        return None
    return calendar.add_working_seconds(now, target)


async def status_intervals(
    session: AsyncSession, *, workspace_id: int, conv: Any
) -> list[StatusInterval]:
    """Rebuild a conversation's status history from its event log."""
    changes = []
    for event in await list_events(session, workspace_id=workspace_id, conversation_id=conv.id):
        if event.kind in STATUS_EVENT_KINDS and event.data.get("to"):
            changes.append((event.created_at, str(event.data["to"])))
        elif event.kind == "resolved":
            changes.append((event.created_at, "resolved"))
        elif event.kind == "reopened":
            changes.append((event.created_at, "open"))
    return intervals_from_changes(conv.created_at, changes)


async def do_check_sla(
    session: AsyncSession,
    *,
    workspace_id: int,
    conversation_id: int,
    now: dt.datetime | None = None,
) -> list[SlaClock]:
    """Evaluate a conversation's SLA clocks, store them and emit newly reached warnings/breaches."""
    now = now or utcnow()
    row = await get_default_sla_policy(session, workspace_id=workspace_id)
    if row is None:
        return []
    conv = await get_conversation(
        session, workspace_id=workspace_id, conversation_id=conversation_id
    )
    policy = SlaPolicy.from_config(
        {"targets": row.targets, "warn_before_seconds": row.warn_before_seconds}
    )
    clocks = evaluate_sla(
        policy,
        await get_conversation_calendar(
            session, workspace_id=workspace_id, conversation_id=conversation_id),
        priority=conv.priority,
        now=now,
        first_response_at=conv.first_response_at,
        resolved_at=conv.resolved_at,
        intervals=await status_intervals(session, workspace_id=workspace_id, conv=conv),
    )
    stored = {
        r.metric: r
        for r in (
            await session.scalars(
                select(SlaClockRow).where(SlaClockRow.conversation_id == conversation_id)
            )
        ).all()
    }
    for name, clock in sla_events({m: r.state for m, r in stored.items()}, clocks):
        event = SLA_EVENTS[name](conversation_id=conversation_id, metric=clock.metric,
                                 state=clock.state, target_seconds=clock.target_seconds,
                                 elapsed_seconds=round(clock.elapsed_seconds, 3))
        emit(
            session,
            event,
            workspace_id=workspace_id,
            key=f"{name}:{conversation_id}:{clock.metric}",
        )
    for clock in clocks:
        _store_clock(session, stored.get(clock.metric), workspace_id, conversation_id, clock, now)
    return clocks


def _store_clock(
    session: AsyncSession,
    row: SlaClockRow | None,
    workspace_id: int,
    conversation_id: int,
    clock: SlaClock,
    now: dt.datetime,
) -> None:
    if row is None:
        row = SlaClockRow(
            workspace_id=workspace_id, conversation_id=conversation_id, metric=clock.metric
        )
        session.add(row)
    row.state, row.due_at, row.evaluated_at = clock.state, clock.due_at, now
