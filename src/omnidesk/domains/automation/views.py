"""Automation rules API: list, create, change, delete, run log and "test this rule" (dry run)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from omnidesk.core.api import ApiRoute
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.automation.actions import (
    check_create_rule,
    check_delete_rule,
    check_update_rule,
)
from omnidesk.domains.automation.schemas import (
    DryRunRead,
    RuleCreate,
    RuleRead,
    RuleUpdate,
    RunRead,
)
from omnidesk.domains.automation.service import dry_run, get_rule, list_rules, list_runs

router = APIRouter(prefix="/api/v1/automation", tags=["automation"], route_class=ApiRoute)


@router.get("/rules", response_model=list[RuleRead])
async def read_rules(actor: ActorDep, session: SessionDep) -> list[RuleRead]:
    """List the workspace's rules in evaluation order."""
    actor.require("supervisor")
    rows = await list_rules(session, workspace_id=actor.workspace_id)
    return [RuleRead.model_validate(r) for r in rows]


@router.post("/rules", response_model=RuleRead, status_code=201)
async def create_rule(rule_in: RuleCreate, actor: ActorDep, session: SessionDep) -> RuleRead:
    """Create a rule: trigger events, conditions (all must hold) and ordered actions."""
    rule = await check_create_rule(session, actor=actor, rule_in=rule_in)
    await session.commit()
    return RuleRead.model_validate(rule)


@router.get("/rules/{rule_id}", response_model=RuleRead)
async def read_rule(rule_id: Id, actor: ActorDep, session: SessionDep) -> RuleRead:
    """Return one rule."""
    actor.require("supervisor")
    return RuleRead.model_validate(
        await get_rule(session, workspace_id=actor.workspace_id, rule_id=rule_id))


@router.patch("/rules/{rule_id}", response_model=RuleRead)
async def update_rule(rule_id: Id, rule_in: RuleUpdate, actor: ActorDep,
                      session: SessionDep) -> RuleRead:
    """Change a rule (name, triggers, conditions, actions, position, on/off, stop)."""
    rule = await check_update_rule(session, actor=actor, rule_id=rule_id, rule_in=rule_in)
    await session.commit()
    return RuleRead.model_validate(rule)


@router.delete("/rules/{rule_id}", status_code=204)
async def delete_rule(rule_id: Id, actor: ActorDep, session: SessionDep) -> Response:
    """Delete a rule."""
    await check_delete_rule(session, actor=actor, rule_id=rule_id)
    await session.commit()
    return Response(status_code=204)


@router.post("/rules/{rule_id}/test", response_model=DryRunRead)
async def test_rule(rule_id: Id, actor: ActorDep, session: SessionDep) -> DryRunRead:
    """Replay the rule over its last 100 matching events and say what it would have done."""
    actor.require("supervisor")
    rule = await get_rule(session, workspace_id=actor.workspace_id, rule_id=rule_id)
    return await dry_run(session, workspace_id=actor.workspace_id, rule=rule)


@router.get("/runs", response_model=list[RunRead])
async def read_runs(actor: ActorDep, session: SessionDep, rule_id: Id | None = None,
                    ) -> list[RunRead]:
    """List the latest rule runs (done, or stopped by the loop guard with the reason)."""
    actor.require("supervisor")
    rows = await list_runs(session, workspace_id=actor.workspace_id, rule_id=rule_id)
    return [RunRead.model_validate(r) for r in rows]
