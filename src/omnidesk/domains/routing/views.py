"""Routing API: queues, rules, SLA policies (admins), presence, agents and the live overview."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.api import ApiRoute
from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.routing import config_actions as config
from omnidesk.domains.routing import overview
from omnidesk.domains.routing.assignment.transfer_actions import (
    check_set_presence,
    do_move_to_agent,
    do_move_to_queue,
)
from omnidesk.domains.routing.schemas import (
    AgentStateRead,
    ConversationMove,
    PresenceUpdate,
    QueueCreate,
    QueueHoursRead,
    QueueRead,
    QueueStats,
    QueueUpdate,
    RuleCreate,
    RuleMove,
    RuleRead,
    RuleUpdate,
    SlaPolicyCreate,
    SlaPolicyRead,
    SlaPolicyUpdate,
)
from omnidesk.domains.routing.service import get_queue, get_queue_calendar, list_queues
from omnidesk.domains.workspaces.schemas import CalendarStateRead

router = APIRouter(prefix="/api/v1/routing", tags=["routing"], route_class=ApiRoute)


@router.get("/queues", response_model=list[QueueRead])
async def read_queues(actor: ActorDep, session: SessionDep) -> list[QueueRead]:
    """List the workspace's queues."""
    rows = await list_queues(session, workspace_id=actor.workspace_id)
    return [QueueRead.model_validate(q) for q in rows]


@router.post("/queues", response_model=QueueRead, status_code=201)
async def create_queue(queue_in: QueueCreate, actor: ActorDep, session: SessionDep) -> QueueRead:
    """Create a queue (admins)."""
    queue = await config.check_create_queue(session, actor=actor, queue_in=queue_in)
    await session.commit()
    return QueueRead.model_validate(queue)


@router.get("/queues/{queue_id}", response_model=QueueRead)
async def read_queue(queue_id: Id, actor: ActorDep, session: SessionDep) -> QueueRead:
    """Return one queue."""
    return QueueRead.model_validate(
        await get_queue(session, workspace_id=actor.workspace_id, queue_id=queue_id))


@router.get("/queues/{queue_id}/hours", response_model=QueueHoursRead)
async def read_queue_hours(
    queue_id: Id, actor: ActorDep, session: SessionDep,
    at: Annotated[AwareDatetime | None, Query(description="Instant to check; now if absent")] = None,
    locale: Annotated[Literal["ko", "en"], Query()] = "ko",
) -> QueueHoursRead:
    """Say whether a queue is open by its calendar, and when it next opens or closes."""
    queue, calendar = await get_queue_calendar(
        session, workspace_id=actor.workspace_id, queue_id=queue_id)
    state = CalendarStateRead.model_validate(calendar.state(at or utcnow(), locale))
    return QueueHoursRead(**state.model_dump(), queue_id=queue.id,
                          own_hours=queue.business_hours is not None)


@router.patch("/queues/{queue_id}", response_model=QueueRead)
async def update_queue(
    queue_id: Id, queue_in: QueueUpdate, actor: ActorDep, session: SessionDep
) -> QueueRead:
    """Change a queue (admins)."""
    queue = await config.check_update_queue(
        session, actor=actor, queue_id=queue_id, queue_in=queue_in)
    await session.commit()
    return QueueRead.model_validate(queue)


@router.delete("/queues/{queue_id}", status_code=204)
async def delete_queue(queue_id: Id, actor: ActorDep, session: SessionDep) -> Response:
    """Delete an empty queue no rule points to (admins)."""
    await config.do_delete_queue(session, actor=actor, queue_id=queue_id)
    await session.commit()
    return Response(status_code=204)


@router.get("/rules", response_model=list[RuleRead])
async def read_rules(actor: ActorDep, session: SessionDep) -> list[RuleRead]:
    """List the routing rules in evaluation order (the first match wins)."""
    rows = await overview.list_rule_rows(session, workspace_id=actor.workspace_id)
    return [RuleRead.model_validate(r) for r in rows]


@router.post("/rules", response_model=RuleRead, status_code=201)
async def create_rule(rule_in: RuleCreate, actor: ActorDep, session: SessionDep) -> RuleRead:
    """Create a routing rule (admins)."""
    row = await config.check_create_rule(session, actor=actor, rule_in=rule_in)
    await session.commit()
    return RuleRead.model_validate(row)


@router.patch("/rules/{rule_id}", response_model=RuleRead)
async def update_rule(
    rule_id: Id, rule_in: RuleUpdate, actor: ActorDep, session: SessionDep
) -> RuleRead:
    """Change a routing rule (admins)."""
    row = await config.check_update_rule(session, actor=actor, rule_id=rule_id, rule_in=rule_in)
    await session.commit()
    return RuleRead.model_validate(row)


@router.post("/rules/{rule_id}/move", response_model=list[RuleRead])
async def move_rule(rule_id: Id, move: RuleMove, actor: ActorDep,
                    session: SessionDep) -> list[RuleRead]:
    """Move a rule one place up or down in evaluation order (admins); return the new order."""
    await config.check_move_rule(session, actor=actor, rule_id=rule_id, direction=move.direction)
    await session.commit()
    return [RuleRead.model_validate(r) for r in await overview.list_rule_rows(
        session, workspace_id=actor.workspace_id)]


@router.delete("/rules/{rule_id}", status_code=204)
async def delete_rule(rule_id: Id, actor: ActorDep, session: SessionDep) -> Response:
    """Delete a routing rule (admins)."""
    await config.do_delete_rule(session, actor=actor, rule_id=rule_id)
    await session.commit()
    return Response(status_code=204)


@router.get("/sla-policies", response_model=list[SlaPolicyRead])
async def read_sla_policies(actor: ActorDep, session: SessionDep) -> list[SlaPolicyRead]:
    """List SLA policies; the default one sets the targets (business hours: the workspace's)."""
    rows = await overview.list_sla_policies(session, workspace_id=actor.workspace_id)
    return [SlaPolicyRead.model_validate(r) for r in rows]


@router.post("/sla-policies", response_model=SlaPolicyRead, status_code=201)
async def create_sla_policy(
    policy_in: SlaPolicyCreate, actor: ActorDep, session: SessionDep
) -> SlaPolicyRead:
    """Create an SLA policy (admins)."""
    row = await config.check_save_sla_policy(session, actor=actor, policy_in=policy_in)
    await session.commit()
    return SlaPolicyRead.model_validate(row)


@router.patch("/sla-policies/{policy_id}", response_model=SlaPolicyRead)
async def update_sla_policy(
    policy_id: Id, policy_in: SlaPolicyUpdate, actor: ActorDep, session: SessionDep
) -> SlaPolicyRead:
    """Change an SLA policy (admins)."""
    row = await config.check_save_sla_policy(
        session, actor=actor, policy_in=policy_in, policy_id=policy_id)
    await session.commit()
    return SlaPolicyRead.model_validate(row)


@router.delete("/sla-policies/{policy_id}", status_code=204)
async def delete_sla_policy(policy_id: Id, actor: ActorDep, session: SessionDep) -> Response:
    """Delete an SLA policy (admins)."""
    await config.do_delete_sla_policy(session, actor=actor, policy_id=policy_id)
    await session.commit()
    return Response(status_code=204)


@router.put("/presence", response_model=AgentStateRead)
async def set_own_presence(
    presence_in: PresenceUpdate, actor: ActorDep, session: SessionDep
) -> AgentStateRead:
    """Set your own presence: online, busy, away or offline (offline re-queues your work)."""
    return await _set_presence(session, actor, actor.user_id, presence_in.presence)


@router.put("/agents/{user_id}/presence", response_model=AgentStateRead)
async def set_agent_presence(
    user_id: Id, presence_in: PresenceUpdate, actor: ActorDep, session: SessionDep
) -> AgentStateRead:
    """Set an agent's presence (supervisors)."""
    return await _set_presence(session, actor, user_id, presence_in.presence)


async def _set_presence(
    session: AsyncSession, actor: Actor, user_id: int | None, presence: str
) -> AgentStateRead:
    row = await check_set_presence(session, actor=actor, user_id=user_id, presence=presence)
    await session.commit()
    return await overview.get_agent_state_read(session, workspace_id=actor.workspace_id,
                                               user_id=row.user_id)


@router.get("/agents", response_model=list[AgentStateRead])
async def read_agents(actor: ActorDep, session: SessionDep) -> list[AgentStateRead]:
    """List the workspace's agents with presence, load and capacity per channel."""
    return await overview.list_agent_states(session, workspace_id=actor.workspace_id)


@router.get("/overview", response_model=list[QueueStats])
async def read_overview(actor: ActorDep, session: SessionDep) -> list[QueueStats]:
    """Return each queue's waiting count, longest wait and SLA risks (supervisors)."""
    actor.require("supervisor")
    return await overview.get_queue_stats(session, workspace_id=actor.workspace_id)


@router.post("/conversations/{conversation_id}/move", status_code=204)
async def move_conversation(
    conversation_id: Id, move_in: ConversationMove, actor: ActorDep, session: SessionDep
) -> Response:
    """Move a conversation to another queue or straight to an agent (supervisors)."""
    if move_in.queue_id is not None:
        await do_move_to_queue(
            session, actor=actor, conversation_id=conversation_id, queue_id=move_in.queue_id)
    else:
        assert move_in.agent_id is not None
        await do_move_to_agent(
            session, actor=actor, conversation_id=conversation_id, agent_id=move_in.agent_id)
    await session.commit()
    return Response(status_code=204)
