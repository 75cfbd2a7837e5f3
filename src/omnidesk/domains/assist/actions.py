"""Assist writes: canned responses (create, update, share, order, delete) and personas."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
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
from omnidesk.domains.assist.schemas import (
    CannedMove,
    CannedResponseCreate,
    CannedResponseUpdate,
)
from omnidesk.domains.assist.service import access_canned_response
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.service import get_customers_by_ids
from omnidesk.domains.workspaces.service import get_workspace

__all__ = ["do_add_note", "do_assign_personas", "do_create_canned_response",
           "do_delete_canned_response", "do_move_canned_response", "do_reveal_pii",
           "do_update_canned_response"]


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


async def _check_scope(session: AsyncSession, actor: Actor, scope: str,
                       team_id: int | None) -> None:
    """Shared replies need a supervisor, team ones a team of the workspace, personal a user."""
    if scope != "personal":
        actor.require("supervisor")
    if scope == "team":
        if team_id is None:
            raise InvalidInput("a team canned response needs team_id", field="team_id")
        await get_team(session, workspace_id=actor.workspace_id, team_id=team_id)
    if scope == "personal" and actor.user_id is None:
        raise InvalidInput("a personal canned response needs a user", field="scope")


def _group(row: CannedResponse) -> ColumnElement[bool]:
    """Select the replies ordered together with this one: same scope, team or owner."""
    clause = (CannedResponse.workspace_id == row.workspace_id) & (CannedResponse.scope == row.scope)
    if row.scope == "team":
        clause &= CannedResponse.team_id == row.team_id
    elif row.scope == "personal":
        clause &= CannedResponse.owner_id == row.owner_id
    return clause


async def _place_last(session: AsyncSession, row: CannedResponse) -> None:
    last = await session.scalar(select(func.max(CannedResponse.position)).where(
        _group(row), CannedResponse.id != row.id))
    row.position = (last or 0) + 1


async def do_create_canned_response(session: AsyncSession, *, actor: Actor,
                                    canned_in: CannedResponseCreate) -> CannedResponse:
    """Create a canned response, last in its scope; shared ones need a supervisor."""
    await _check_scope(session, actor, canned_in.scope, canned_in.team_id)
    row = CannedResponse(
        workspace_id=actor.workspace_id, shortcut=canned_in.shortcut, title=canned_in.title,
        body=canned_in.body, locale=canned_in.locale, scope=canned_in.scope,
        team_id=canned_in.team_id if canned_in.scope == "team" else None,
        owner_id=actor.user_id if canned_in.scope == "personal" else None,
        created_by=actor.user_id)
    await _place_last(session, row)
    session.add(row)
    await session.flush()
    _record(session, actor, ev.CannedResponseCreated(canned_response_id=row.id))
    return row


async def do_update_canned_response(session: AsyncSession, *, actor: Actor, canned_id: int,
                                    canned_in: CannedResponseUpdate) -> CannedResponse:
    """Change a canned response the actor may edit; a new scope shares it (or takes it back)."""
    row = await access_canned_response(session, actor=actor, canned_id=canned_id)
    _check_may_edit(actor, row)
    changes = canned_in.model_dump(exclude_unset=True)
    scope, team_id = changes.pop("scope", None), changes.pop("team_id", None)
    for key, value in changes.items():
        if value is not None or key == "locale":  # no locale: offered in either language
            setattr(row, key, value)
    if scope is not None and (scope, team_id) != (row.scope, row.team_id if scope == "team"
                                                   else None):
        await _check_scope(session, actor, scope, team_id)
        row.scope = scope
        row.team_id = team_id if scope == "team" else None
        row.owner_id = actor.user_id if scope == "personal" else None
        await _place_last(session, row)
    _record(session, actor, ev.CannedResponseUpdated(canned_response_id=row.id))
    return row


async def do_move_canned_response(session: AsyncSession, *, actor: Actor, canned_id: int,
                                  move: CannedMove) -> CannedResponse:
    """Move a canned response one place up or down among those of its scope."""
    row = await access_canned_response(session, actor=actor, canned_id=canned_id)
    _check_may_edit(actor, row)
    group = list((await session.scalars(select(CannedResponse).where(_group(row)).order_by(
        CannedResponse.position, CannedResponse.shortcut, CannedResponse.id))).all())
    at = group.index(row)
    to = at - 1 if move.direction == "up" else at + 1
    if 0 <= to < len(group):
        group[at], group[to] = group[to], group[at]
    for position, member in enumerate(group, start=1):
        member.position = position
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
