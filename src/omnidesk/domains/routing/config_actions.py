"""Writes of the routing configuration: queues, rules and SLA policies (admins only).

``check_*`` validates references inside the actor's workspace (teams, skills, overflow queues,
no overflow cycle) and answers a clear 4xx, then mutates, audits and emits in the caller's
transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit, snapshot
from omnidesk.core.context import Actor
from omnidesk.core.errors import Conflict, InvalidInput, NotFound
from omnidesk.core.events import emit
from omnidesk.domains.agents.service import get_team, list_skills
from omnidesk.domains.routing.events import RoutingConfigChanged
from omnidesk.domains.routing.models import (
    ACTIVE_ENTRY_STATUSES,
    QueueEntry,
    RoutingQueue,
    RoutingRuleRow,
    SlaPolicyRow,
)
from omnidesk.domains.routing.overview import get_rule_row, get_sla_policy, list_rule_rows
from omnidesk.domains.routing.schemas import (
    QueueCreate,
    QueueUpdate,
    RuleCreate,
    RuleUpdate,
    SlaPolicyCreate,
    SlaPolicyUpdate,
)
from omnidesk.domains.routing.service import get_queue

NULLABLE_QUEUE_FIELDS = ("team_id", "overflow_queue_id", "overflow_after_seconds")
MOVES = {"up": -1, "down": 1}


async def check_create_queue(
    session: AsyncSession, *, actor: Actor, queue_in: QueueCreate
) -> RoutingQueue:
    """Create a queue after checking its name, team, skills and overflow target."""
    actor.require("admin")
    queue = RoutingQueue(workspace_id=actor.workspace_id, name=queue_in.name)
    values = queue_in.model_dump(exclude_none=True)
    return await _save_queue(session, actor, queue, _stored_hours(queue_in, values), "created")


async def check_update_queue(
    session: AsyncSession, *, actor: Actor, queue_id: int, queue_in: QueueUpdate
) -> RoutingQueue:
    """Change a queue; fields left out keep their value, null clears team, overflow or hours."""
    actor.require("admin")
    queue = await get_queue(session, workspace_id=actor.workspace_id, queue_id=queue_id)
    changes = {k: v for k, v in queue_in.model_dump(exclude_unset=True).items()
               if v is not None or k in QueueUpdate.nullable}  # fmt: skip
    if "overflow_queue_id" in changes or "overflow_after_seconds" in changes:
        target = changes.get("overflow_queue_id", queue.overflow_queue_id)
        after = changes.get("overflow_after_seconds", queue.overflow_after_seconds)
        if (target is None) != (after is None):
            raise InvalidInput("overflow_queue_id and overflow_after_seconds go together",
                               field="overflow_queue_id")  # fmt: skip
    return await _save_queue(session, actor, queue, _stored_hours(queue_in, changes), "updated")


def _stored_hours(queue_in: QueueCreate | QueueUpdate, values: dict[str, Any]) -> dict[str, Any]:
    """Keep a queue's own hours in the calendar's stored form."""
    if queue_in.business_hours is not None:
        values["business_hours"] = queue_in.business_hours.stored()
    return values


async def _save_queue(
    session: AsyncSession, actor: Actor, queue: RoutingQueue, values: dict[str, Any], change: str
) -> RoutingQueue:
    ws = actor.workspace_id
    before = {} if queue.id is None else snapshot(queue)
    if "name" in values:
        taken = await session.scalar(select(RoutingQueue.id).where(
            RoutingQueue.workspace_id == ws, RoutingQueue.name == values["name"]))  # fmt: skip
        if taken is not None and taken != queue.id:
            raise Conflict(f"a queue named {values['name']!r} already exists", field="name")
    if values.get("team_id") is not None:
        await _require(get_team(session, workspace_id=ws, team_id=values["team_id"]), "team_id")
    if values.get("required_skills"):
        known = {s.name for s in await list_skills(session, workspace_id=ws)}
        unknown = set(values["required_skills"]) - known
        if unknown:
            raise InvalidInput(f"unknown skills {sorted(unknown)}", field="required_skills")
    for key, value in values.items():
        setattr(queue, key, value)
    if queue.id is None:
        session.add(queue)
    await session.flush()
    if values.get("overflow_queue_id") is not None:
        await _check_overflow_chain(session, queue)
    if values.get("is_default"):
        await _unset_other_defaults(session, RoutingQueue, ws, queue.id)
    _record(session, actor, f"routing.queue_{change}", "routing_queue", queue.id,
            before=before, after=snapshot(queue))
    return queue


async def _require(lookup: Any, field: str) -> Any:
    """Turn a missing reference into 422 on the field that named it."""
    try:
        return await lookup
    except NotFound as exc:
        raise InvalidInput(exc.message, field=field) from exc


async def _check_overflow_chain(session: AsyncSession, queue: RoutingQueue) -> None:
    """Refuse an overflow target of another workspace, or one that leads back to this queue."""
    seen, target_id = {queue.id}, queue.overflow_queue_id
    while target_id is not None:
        if target_id in seen:
            raise InvalidInput("overflow queues would form a cycle", field="overflow_queue_id")
        seen.add(target_id)
        target = await _require(
            get_queue(session, workspace_id=queue.workspace_id, queue_id=target_id),
            "overflow_queue_id",
        )
        target_id = target.overflow_queue_id


async def _unset_other_defaults(session: AsyncSession, model: Any, ws: int, keep_id: int) -> None:
    await session.execute(
        update(model)
        .where(model.workspace_id == ws, model.id != keep_id, model.is_default.is_(True))
        .values(is_default=False)
        .execution_options(synchronize_session="fetch")
    )


async def do_delete_queue(session: AsyncSession, *, actor: Actor, queue_id: int) -> None:
    """Delete a queue that holds no active conversations and no rules point to."""
    actor.require("admin")
    queue = await get_queue(session, workspace_id=actor.workspace_id, queue_id=queue_id)
    active = await session.scalar(select(func.count()).select_from(QueueEntry).where(
        QueueEntry.queue_id == queue.id, QueueEntry.status.in_(ACTIVE_ENTRY_STATUSES)))
    rules = await session.scalar(select(func.count()).select_from(RoutingRuleRow).where(
        RoutingRuleRow.queue_id == queue.id))  # fmt: skip
    if active or rules:
        raise Conflict(f"the queue still has {active} active conversations and {rules} rules; "
                       "move them first")  # fmt: skip
    await session.execute(delete(QueueEntry).where(QueueEntry.queue_id == queue.id))
    await session.execute(
        update(RoutingQueue).where(RoutingQueue.overflow_queue_id == queue.id)
        .values(overflow_queue_id=None, overflow_after_seconds=None)
        .execution_options(synchronize_session="fetch")
    )  # fmt: skip
    before = snapshot(queue)
    await session.delete(queue)
    _record(session, actor, "routing.queue_deleted", "routing_queue", queue_id,
            before=before, after={})


async def check_create_rule(
    session: AsyncSession, *, actor: Actor, rule_in: RuleCreate
) -> RoutingRuleRow:
    """Create a routing rule that sends matching conversations to a queue of the workspace."""
    actor.require("admin")
    await _require(
        get_queue(session, workspace_id=actor.workspace_id, queue_id=rule_in.queue_id), "queue_id"
    )
    row = RoutingRuleRow(
        workspace_id=actor.workspace_id, name=rule_in.name, queue_id=rule_in.queue_id,
        conditions=_conditions(rule_in.conditions), priority=rule_in.priority,
        position=rule_in.position, is_active=rule_in.is_active,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    _record(session, actor, "routing.rule_created", "routing_rule", row.id,
            before={}, after=snapshot(row))
    return row


async def check_update_rule(
    session: AsyncSession, *, actor: Actor, rule_id: int, rule_in: RuleUpdate
) -> RoutingRuleRow:
    """Change a routing rule; fields left out keep their value."""
    actor.require("admin")
    row = await get_rule_row(session, workspace_id=actor.workspace_id, rule_id=rule_id)
    before = snapshot(row)
    changes = rule_in.model_dump(exclude_unset=True)
    if changes.get("queue_id") is not None:
        await _require(get_queue(session, workspace_id=actor.workspace_id,
                                 queue_id=changes["queue_id"]), "queue_id")  # fmt: skip
    if rule_in.conditions is not None:
        changes["conditions"] = _conditions(rule_in.conditions)
    for key, value in changes.items():
        if value is not None or key == "priority":
            setattr(row, key, value)
    _record(session, actor, "routing.rule_updated", "routing_rule", row.id,
            before=before, after=snapshot(row))
    return row


def _conditions(conditions: Any) -> dict[str, Any]:
    try:
        return dict(conditions.stored())
    except ValueError as exc:
        raise InvalidInput(str(exc), field="conditions") from exc


async def check_move_rule(
    session: AsyncSession, *, actor: Actor, rule_id: int, direction: str
) -> RoutingRuleRow:
    """Move a rule one place up or down in evaluation order and renumber positions 0..n-1."""
    actor.require("admin")
    if direction not in MOVES:
        raise InvalidInput("direction must be up or down", field="direction")
    rows = await list_rule_rows(session, workspace_id=actor.workspace_id)
    index = next((i for i, row in enumerate(rows) if row.id == rule_id), None)
    if index is None:
        raise NotFound("routing rule not found")
    moved, other = rows[index], index + MOVES[direction]
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], moved
    # Renumber every rule: positions set through the API may tie, and swapping two equal
    # positions would change nothing.
    changed = False
    for position, row in enumerate(rows):
        if row.position != position:
            row.position, changed = position, True
    if changed:
        _record(session, actor, "routing.rule_moved", "routing_rule", rule_id)
    return moved


async def do_delete_rule(session: AsyncSession, *, actor: Actor, rule_id: int) -> None:
    """Delete a routing rule."""
    actor.require("admin")
    row = await get_rule_row(session, workspace_id=actor.workspace_id, rule_id=rule_id)
    before = snapshot(row)
    await session.delete(row)
    _record(session, actor, "routing.rule_deleted", "routing_rule", rule_id,
            before=before, after={})


async def check_save_sla_policy(
    session: AsyncSession,
    *,
    actor: Actor,
    policy_in: SlaPolicyCreate | SlaPolicyUpdate,
    policy_id: int | None = None,
) -> SlaPolicyRow:
    """Create (no id) or change an SLA policy; the default policy is the one routing uses."""
    actor.require("admin")
    ws = actor.workspace_id
    if policy_id is None:
        row = SlaPolicyRow(workspace_id=ws)
    else:
        row = await get_sla_policy(session, workspace_id=ws, policy_id=policy_id)
    before = {} if policy_id is None else snapshot(row)
    values = policy_in.model_dump(exclude_unset=policy_id is not None, exclude_none=True)
    if "name" in values:
        taken = await session.scalar(select(SlaPolicyRow.id).where(
            SlaPolicyRow.workspace_id == ws, SlaPolicyRow.name == values["name"]))  # fmt: skip
        if taken is not None and taken != row.id:
            raise Conflict(f"an SLA policy named {values['name']!r} already exists", field="name")
    for key, value in values.items():
        setattr(row, key, value)
    if policy_id is None:
        session.add(row)
    await session.flush()
    if row.is_default:
        await _unset_other_defaults(session, SlaPolicyRow, ws, row.id)
    change = "created" if policy_id is None else "updated"
    _record(session, actor, f"routing.sla_policy_{change}", "sla_policy", row.id,
            before=before, after=snapshot(row))
    return row


async def do_delete_sla_policy(session: AsyncSession, *, actor: Actor, policy_id: int) -> None:
    """Delete an SLA policy."""
    actor.require("admin")
    row = await get_sla_policy(session, workspace_id=actor.workspace_id, policy_id=policy_id)
    before = snapshot(row)
    await session.delete(row)
    _record(session, actor, "routing.sla_policy_deleted", "sla_policy", policy_id,
            before=before, after={})


def _record(session: AsyncSession, actor: Actor, action: str, obj: str, obj_id: int, *,
            before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    audit(session, workspace_id=actor.workspace_id, action=action, actor_kind=actor.audit_kind,
          actor_id=actor.user_id, object_type=obj, object_id=obj_id, before=before,
          after=after)  # fmt: skip
    emit(session, RoutingConfigChanged(action=action, object_type=obj, object_id=obj_id),
         workspace_id=actor.workspace_id)
