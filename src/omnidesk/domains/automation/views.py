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
from omnidesk.domains.automation.macro_actions import (
    check_create_macro,
    check_delete_macro,
    check_run_macro,
)
from omnidesk.domains.automation.models import WebhookEndpoint
from omnidesk.domains.automation.schemas import (
    AllowedHostCreate,
    DryRunRead,
    EndpointCreate,
    EndpointRead,
    EndpointSecretRead,
    EndpointUpdate,
    MacroCreate,
    MacroRead,
    MacroRun,
    MacroRunRead,
    RuleCreate,
    RuleRead,
    RuleUpdate,
    RunRead,
    WebhookDeliveryRead,
)
from omnidesk.domains.automation.service import (
    allowed_hosts,
    dry_run,
    get_endpoint,
    get_rule,
    list_endpoints,
    list_macros,
    list_rules,
    list_runs,
    list_webhook_deliveries,
)
from omnidesk.domains.automation.webhook_actions import (
    check_allow_host,
    check_create_endpoint,
    check_delete_endpoint,
    check_disallow_host,
    check_replay_delivery,
    check_update_endpoint,
)

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


def _endpoint(row: WebhookEndpoint, *, with_secret: bool = False) -> EndpointRead:
    fields = {"id": row.id, "name": row.name, "url": row.url, "events": row.events,
              "enabled": row.enabled, "secret_hint": f"…{row.secret[-4:]}",
              "created_at": row.created_at}
    return EndpointSecretRead(**fields, secret=row.secret) if with_secret \
        else EndpointRead(**fields)


@router.get("/webhooks", response_model=list[EndpointRead])
async def read_endpoints(actor: ActorDep, session: SessionDep) -> list[EndpointRead]:
    """List the workspace's outgoing webhook endpoints (secrets masked)."""
    actor.require("admin")
    return [_endpoint(e) for e in await list_endpoints(session, workspace_id=actor.workspace_id)]


@router.post("/webhooks", response_model=EndpointSecretRead, status_code=201)
async def create_endpoint(endpoint_in: EndpointCreate, actor: ActorDep,
                          session: SessionDep) -> EndpointRead:
    """Subscribe a URL to catalogue events; the answer shows the signing secret once."""
    endpoint = await check_create_endpoint(session, actor=actor, endpoint_in=endpoint_in)
    await session.commit()
    return _endpoint(endpoint, with_secret=True)


@router.patch("/webhooks/{endpoint_id}", response_model=EndpointRead)
async def update_endpoint(endpoint_id: Id, endpoint_in: EndpointUpdate, actor: ActorDep,
                          session: SessionDep) -> EndpointRead:
    """Change an endpoint; with `rotate_secret` the answer shows the new secret once."""
    endpoint = await check_update_endpoint(session, actor=actor, endpoint_id=endpoint_id,
                                           endpoint_in=endpoint_in)
    await session.commit()
    return _endpoint(endpoint, with_secret=bool(endpoint_in.rotate_secret))


@router.delete("/webhooks/{endpoint_id}", status_code=204)
async def delete_endpoint(endpoint_id: Id, actor: ActorDep, session: SessionDep) -> Response:
    """Delete an endpoint and its delivery log."""
    await check_delete_endpoint(session, actor=actor, endpoint_id=endpoint_id)
    await session.commit()
    return Response(status_code=204)


@router.get("/webhooks/{endpoint_id}/deliveries", response_model=list[WebhookDeliveryRead])
async def read_deliveries(endpoint_id: Id, actor: ActorDep,
                          session: SessionDep) -> list[WebhookDeliveryRead]:
    """The endpoint's delivery log: status, attempts, last answer, next retry."""
    actor.require("admin")
    await get_endpoint(session, workspace_id=actor.workspace_id, endpoint_id=endpoint_id)
    return await list_webhook_deliveries(session, workspace_id=actor.workspace_id,
                                         endpoint_id=endpoint_id)


@router.post("/webhooks/{endpoint_id}/deliveries/{delivery_id}/replay", status_code=202)
async def replay_delivery(endpoint_id: Id, delivery_id: Id, actor: ActorDep,
                          session: SessionDep) -> dict[str, str]:
    """Send a dead-lettered delivery again (a fresh attempt budget)."""
    await check_replay_delivery(session, actor=actor, endpoint_id=endpoint_id,
                                delivery_id=delivery_id)
    await session.commit()
    return {"status": "queued"}


@router.get("/webhook-hosts", response_model=list[str])
async def read_allowed_hosts(actor: ActorDep, session: SessionDep) -> list[str]:
    """List the hosts webhooks may reach on private addresses."""
    actor.require("admin")
    return sorted(await allowed_hosts(session, workspace_id=actor.workspace_id))


@router.post("/webhook-hosts", response_model=list[str], status_code=201)
async def allow_host(host_in: AllowedHostCreate, actor: ActorDep,
                     session: SessionDep) -> list[str]:
    """Allow a host on a private address (e.g. an internal CRM)."""
    await check_allow_host(session, actor=actor, host_in=host_in)
    await session.commit()
    return sorted(await allowed_hosts(session, workspace_id=actor.workspace_id))


@router.delete("/webhook-hosts/{host}", status_code=204)
async def disallow_host(host: str, actor: ActorDep, session: SessionDep) -> Response:
    """Take a host off the allowed list."""
    await check_disallow_host(session, actor=actor, host=host)
    await session.commit()
    return Response(status_code=204)


@router.get("/macros", response_model=list[MacroRead])
async def read_macros(actor: ActorDep, session: SessionDep) -> list[MacroRead]:
    """List the macros you may run (workspace, your teams', your own)."""
    return [MacroRead.model_validate(m) for m in await list_macros(session, actor=actor)]


@router.post("/macros", response_model=MacroRead, status_code=201)
async def create_macro(macro_in: MacroCreate, actor: ActorDep, session: SessionDep) -> MacroRead:
    """Create a macro: personal (anyone), team (supervisors), workspace (admins)."""
    macro = await check_create_macro(session, actor=actor, macro_in=macro_in)
    await session.commit()
    return MacroRead.model_validate(macro)


@router.delete("/macros/{macro_id}", status_code=204)
async def delete_macro(macro_id: Id, actor: ActorDep, session: SessionDep) -> Response:
    """Delete a macro you manage."""
    await check_delete_macro(session, actor=actor, macro_id=macro_id)
    await session.commit()
    return Response(status_code=204)


@router.post("/macros/{macro_id}/run", response_model=MacroRunRead)
async def run_macro(macro_id: Id, run_in: MacroRun, actor: ActorDep,
                    session: SessionDep) -> MacroRunRead:
    """Run a macro's actions in order on a conversation."""
    steps = await check_run_macro(session, actor=actor, macro_id=macro_id,
                                  conversation_id=run_in.conversation_id)
    await session.commit()
    return MacroRunRead(macro_id=macro_id, conversation_id=run_in.conversation_id,
                        steps=[s.as_dict() for s in steps])
