"""Presence writes that depend on the agent's current presence."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.routing.actions import do_set_presence
from omnidesk.domains.routing.service import get_agent_state


async def do_move_presence(
    session: AsyncSession, *, workspace_id: int, user_id: int, expected: str, new: str
) -> bool:
    """Move an agent from one presence to another if still in the expected one; the caller
    commits. Return whether it moved (a manual change in between wins)."""
    row = await get_agent_state(session, workspace_id=workspace_id, user_id=user_id)
    if row is None or row.presence != expected:
        return False
    await do_set_presence(session, workspace_id=workspace_id, user_id=user_id, presence=new)
    return True
