"""Access-log writes: every read of unmasked personal data leaves one row in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput, PermissionDenied
from omnidesk.domains.agents.service import get_user
from omnidesk.domains.privacy.models import ACCESS_ACTIONS, PiiAccess


def check_reason(reason: str | None) -> str:
    """Return a usable reveal reason or raise InvalidInput (a reveal must say why)."""
    text = (reason or "").strip()
    if len(text) < 2:
        raise InvalidInput("say why you need to see this data (a reason is required)",
                           field="reason")
    return text[:300]


def check_may_reveal(actor: Actor) -> None:
    """Raise PermissionDenied unless the actor's role grants `pii.reveal` (roles can drop it)."""
    if not actor.can("pii.reveal"):
        raise PermissionDenied("your role may not reveal personal data in this workspace")


async def do_record_access(
    session: AsyncSession, *, actor: Actor, action: str, fields: Sequence[str],
    reason: str = "", customer_id: int | None = None, conversation_id: int | None = None,
    message_id: int | None = None, ip: str | None = None,
) -> PiiAccess:
    """Write one access-log row: who read which unmasked data, about whom, and why."""
    if action not in ACCESS_ACTIONS:
        raise InvalidInput(f"unknown access kind {action!r}", field="action")
    name = ""
    if actor.user_id is not None:
        name = (await get_user(session, workspace_id=actor.workspace_id, user_id=actor.user_id)).name
    row = PiiAccess(workspace_id=actor.workspace_id, actor_kind=actor.audit_kind,
                    actor_id=actor.user_id, actor_name=name[:200], action=action,
                    customer_id=customer_id, conversation_id=conversation_id,
                    message_id=message_id, fields=sorted(set(fields)), reason=reason[:300],
                    ip=(ip or None) and ip[:64])
    session.add(row)
    return row
