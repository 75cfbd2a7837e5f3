"""Assist writes: canned responses (create, update, delete) and assigning personas."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput, PermissionDenied
from omnidesk.core.events import emit
from omnidesk.domains.agents.service import get_team
from omnidesk.domains.assist import events as ev
from omnidesk.domains.assist.contact_actions import do_add_note, do_reveal_pii
from omnidesk.domains.assist.facts import gather_facts
from omnidesk.domains.assist.models import CannedResponse
from omnidesk.domains.assist.personas import Persona, cluster_personas
from omnidesk.domains.assist.schemas import CannedResponseCreate, CannedResponseUpdate
from omnidesk.domains.assist.service import access_canned_response
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.service import get_customers_by_ids
from omnidesk.domains.workspaces.service import get_workspace

__all__ = ["do_add_note", "do_assign_personas", "do_create_canned_response",
           "do_delete_canned_response", "do_reveal_pii", "do_update_canned_response"]


def _record(session: AsyncSession, actor: Actor, event: ev.CannedResponseChanged) -> None:
    audit(session, workspace_id=actor.workspace_id, action=event.name,
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="canned_response",
          object_id=event.canned_response_id)
    emit(session, event, workspace_id=actor.workspace_id)


def _check_may_edit(actor: Actor, row: CannedResponse) -> None:
    if row.scope == "personal":
        if row.owner_id != actor.user_id:
            raise PermissionDenied("only its owner may change a personal canned response")
        return
    actor.require("supervisor")


async def do_create_canned_response(session: AsyncSession, *, actor: Actor,
                                    canned_in: CannedResponseCreate) -> CannedResponse:
    """Create a canned response; shared ones need a supervisor, team ones a team."""
    if canned_in.scope != "personal":
        actor.require("supervisor")
    if canned_in.scope == "team":
        if canned_in.team_id is None:
            raise InvalidInput("a team canned response needs team_id", field="team_id")
        await get_team(session, workspace_id=actor.workspace_id, team_id=canned_in.team_id)
    if canned_in.scope == "personal" and actor.user_id is None:
        raise InvalidInput("a personal canned response needs a user", field="scope")
    row = CannedResponse(
        workspace_id=actor.workspace_id, shortcut=canned_in.shortcut, title=canned_in.title,
        body=canned_in.body, locale=canned_in.locale, scope=canned_in.scope,
        team_id=canned_in.team_id if canned_in.scope == "team" else None,
        owner_id=actor.user_id if canned_in.scope == "personal" else None,
        created_by=actor.user_id)
    session.add(row)
    await session.flush()
    _record(session, actor, ev.CannedResponseCreated(canned_response_id=row.id))
    return row


async def do_update_canned_response(session: AsyncSession, *, actor: Actor, canned_id: int,
                                    canned_in: CannedResponseUpdate) -> CannedResponse:
    """Change a canned response the actor may edit."""
    row = await access_canned_response(session, actor=actor, canned_id=canned_id)
    _check_may_edit(actor, row)
    for key, value in canned_in.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(row, key, value)
    _record(session, actor, ev.CannedResponseUpdated(canned_response_id=row.id))
    return row


async def do_delete_canned_response(session: AsyncSession, *, actor: Actor,
                                    canned_id: int) -> None:
    """Delete a canned response the actor may edit."""
    row = await access_canned_response(session, actor=actor, canned_id=canned_id)
    _check_may_edit(actor, row)
    _record(session, actor, ev.CannedResponseDeleted(canned_response_id=row.id))
    await session.delete(row)


async def do_assign_personas(session: AsyncSession, *, actor: Actor) -> list[Persona]:
    """Cluster the workspace's customers into personas and store each one's persona."""
    actor.require("supervisor")
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    facts = await gather_facts(session, workspace_id=actor.workspace_id,
                               settings=workspace.settings or {})
    personas = cluster_personas(list(facts.values()))
    customers: dict[int, Customer] = await get_customers_by_ids(
        session, workspace_id=actor.workspace_id, customer_ids=set(facts))
    for persona in personas:
        for customer_id in persona.customer_ids:
            customer = customers[customer_id]
            customer.attributes = {**customer.attributes, "persona": persona.as_attribute()}
    audit(session, workspace_id=actor.workspace_id, action="personas.assigned",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="workspace",
          object_id=actor.workspace_id, data={"personas": len(personas)})
    emit(session, ev.PersonasAssigned(personas=[p.key for p in personas]),
         workspace_id=actor.workspace_id)
    return personas
