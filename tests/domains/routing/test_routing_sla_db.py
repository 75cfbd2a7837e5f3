"""SLA clocks stored per conversation: due times on enqueue, one warning and one breach event."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import OutboxEvent
from omnidesk.domains.conversations.actions import do_set_status
from omnidesk.domains.conversations.service import get_conversation
from omnidesk.domains.routing.actions import do_enqueue
from omnidesk.domains.routing.models import SlaPolicyRow
from omnidesk.domains.routing.sla.actions import do_check_sla
from omnidesk.domains.workspaces.service import get_workspace
from tests.conftest import Persona

from .routing_setup import make_conversation, make_queue

ALWAYS = {"timezone": "UTC", "weekly": {d: [["00:00", "24:00"]] for d in
          ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}  # fmt: skip


async def setup_sla(session: AsyncSession, owner: Persona) -> int:
    """Open around the clock, 1 h first response and 4 h resolution for normal priority."""
    workspace = await get_workspace(session, workspace_id=owner.workspace_id)
    workspace.business_hours = ALWAYS
    session.add(
        SlaPolicyRow(
            workspace_id=owner.workspace_id,
            name="default",
            is_default=True,
            warn_before_seconds=600,
            targets={"normal": {"first_response": 3600, "resolution": 14400}},
        )
    )
    await make_queue(session, owner.workspace_id, "general", is_default=True)
    conv, _ = await make_conversation(session, owner.admin)
    return conv


async def sla_event_names(session: AsyncSession) -> list[str]:
    rows = await session.scalars(
        select(OutboxEvent.name).where(OutboxEvent.name.like("sla.%")).order_by(OutboxEvent.id)
    )
    return list(rows.all())


async def test_enqueue_sets_the_first_response_due_time(
    session: AsyncSession, owner: Persona
) -> None:
    conv = await setup_sla(session, owner)
    now = dt.datetime.now(dt.UTC)
    entry = await do_enqueue(
        session, workspace_id=owner.workspace_id, conversation_id=conv, now=now
    )
    assert entry is not None and entry.sla_due_at == now + dt.timedelta(hours=1)


async def test_warning_and_breach_are_emitted_once_each(
    session: AsyncSession, owner: Persona
) -> None:
    conv_id = await setup_sla(session, owner)
    conv = await get_conversation(session, workspace_id=owner.workspace_id, conversation_id=conv_id)
    start, ws = conv.created_at, owner.workspace_id
    await do_check_sla(
        session, workspace_id=ws, conversation_id=conv_id, now=start + dt.timedelta(minutes=20)
    )
    assert await sla_event_names(session) == []
    clocks = await do_check_sla(
        session, workspace_id=ws, conversation_id=conv_id, now=start + dt.timedelta(minutes=52)
    )
    assert [c.state for c in clocks] == ["warning", "ok"]
    for minutes in (61, 70):
        await do_check_sla(
            session,
            workspace_id=ws,
            conversation_id=conv_id,
            now=start + dt.timedelta(minutes=minutes),
        )
    assert await sla_event_names(session) == ["sla.warning", "sla.breached"]


async def test_waiting_on_the_customer_pauses_the_resolution_clock(
    session: AsyncSession, owner: Persona
) -> None:
    conv_id = await setup_sla(session, owner)
    conv = await get_conversation(session, workspace_id=owner.workspace_id, conversation_id=conv_id)
    await do_set_status(session, conv=conv, status="pending")
    later = conv.created_at + dt.timedelta(hours=6)
    clocks = await do_check_sla(
        session, workspace_id=owner.workspace_id, conversation_id=conv_id, now=later
    )
    resolution = next(c for c in clocks if c.metric == "resolution")
    assert resolution.paused and resolution.state == "ok" and resolution.elapsed_seconds < 60
