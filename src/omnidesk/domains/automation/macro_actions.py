"""Macro writes: create, change and delete (by scope), and run one on a conversation.

Personal macros belong to the agent who made them; team macros are made by supervisors for a
team and run by its members; workspace macros are made by admins and run by everyone. Running
goes through the one action runner (step_actions), as the agent who clicked.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import PermissionDenied
from omnidesk.domains.agents.service import get_team
from omnidesk.domains.automation.models import Macro
from omnidesk.domains.automation.schemas import Action, MacroCreate
from omnidesk.domains.automation.service import access_macro
from omnidesk.domains.automation.step_actions import Source, StepResult, do_run_steps
from omnidesk.domains.conversations.service import access_conversation

SCOPE_ROLE = {"personal": "agent", "team": "supervisor", "workspace": "admin"}


async def check_create_macro(session: AsyncSession, *, actor: Actor,
                             macro_in: MacroCreate) -> Macro:
    """Validate and store a macro in the scope the actor's role allows."""
    actor.require(SCOPE_ROLE[macro_in.scope])
    if macro_in.team_id is not None:
        await get_team(session, workspace_id=actor.workspace_id, team_id=macro_in.team_id)
    macro = Macro(workspace_id=actor.workspace_id, name=macro_in.name, scope=macro_in.scope,
                  owner_id=actor.user_id if macro_in.scope == "personal" else None,
                  team_id=macro_in.team_id,
                  actions=[a.model_dump(exclude_none=True) for a in macro_in.actions])
    session.add(macro)
    await session.flush()
    _audit(session, actor, macro, "created")
    return macro


async def check_delete_macro(session: AsyncSession, *, actor: Actor, macro_id: int) -> None:
    """Delete a macro the actor may manage (their own, or by role for team/workspace ones)."""
    macro = await access_macro(session, actor=actor, macro_id=macro_id)
    if macro.scope != "personal" or macro.owner_id != actor.user_id:
        actor.require(SCOPE_ROLE[macro.scope])
    _audit(session, actor, macro, "deleted")
    await session.delete(macro)
    await session.flush()


async def check_run_macro(session: AsyncSession, *, actor: Actor, macro_id: int,
                          conversation_id: int) -> list[StepResult]:
    """Run a macro's steps in order on a conversation, as the agent who ran it."""
    macro = await access_macro(session, actor=actor, macro_id=macro_id)
    conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    if actor.user_id is None:
        raise PermissionDenied("macros are run by a person")
    return await do_run_steps(
        session, workspace_id=actor.workspace_id, conv=conv,
        steps=[Action.model_validate(a) for a in macro.actions],
        source=Source("macro", macro.id, macro.name, actor_kind="user", actor_id=actor.user_id))


def _audit(session: AsyncSession, actor: Actor, macro: Macro, action: str) -> None:
    audit(session, workspace_id=actor.workspace_id, action=f"automation.macro_{action}",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="macro",
          object_id=macro.id, data={"name": macro.name, "scope": macro.scope})
