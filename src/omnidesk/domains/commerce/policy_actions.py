"""Store policy writes: an admin changes the workspace's rules (audited, with an event)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.core.schemas import merge_patch
from omnidesk.domains.commerce.events import StorePolicyUpdated
from omnidesk.domains.commerce.policy import StorePolicy, store_policy
from omnidesk.domains.workspaces.service import get_workspace


async def get_store_policy(session: AsyncSession, *, workspace_id: int) -> StorePolicy:
    """Return the workspace's store policy with defaults filled in."""
    workspace = await get_workspace(session, workspace_id=workspace_id)
    return store_policy(workspace.settings)


async def check_update_store_policy(session: AsyncSession, *, actor: Actor,
                                    changes: dict[str, Any]) -> StorePolicy:
    """Let an admin change the store policy; a bad value is a 422 naming the field."""
    actor.require("admin")
    if unknown := sorted(set(changes) - set(StorePolicy.model_fields)):
        raise InvalidInput(f"unknown policy fields: {', '.join(unknown)}", field=unknown[0])
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    current = store_policy(workspace.settings).model_dump(mode="json")
    try:
        updated = StorePolicy.model_validate(merge_patch(current, changes))
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(p) for p in problem["loc"]) or None
        raise InvalidInput(f"{field}: {problem['msg']}", field=field) from exc
    after = updated.model_dump(mode="json")
    changed = sorted(name for name in after if after[name] != current.get(name))
    workspace.settings = {**(workspace.settings or {}), "store_policy": after}
    audit(session, workspace_id=actor.workspace_id, action=StorePolicyUpdated.name,
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="workspace",
          object_id=actor.workspace_id, data={"fields": changed}, before=current,
          after=after)
    emit(session, StorePolicyUpdated(fields=changed), workspace_id=actor.workspace_id)
    return updated
