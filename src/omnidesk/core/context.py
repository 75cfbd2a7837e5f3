"""Who is acting: the workspace, user and role behind a request, CLI call or job."""

from __future__ import annotations

from dataclasses import dataclass, replace

from omnidesk.core.errors import PermissionDenied

ROLE_RANK = {"agent": 1, "supervisor": 2, "admin": 3}


@dataclass(frozen=True)
class Actor:
    """The authenticated party; every service call is scoped to its workspace."""

    workspace_id: int
    user_id: int | None
    role: str
    kind: str = "user"  # user | token | system
    session_id: int | None = None  # the login session behind a browser request

    def require(self, role: str) -> None:
        """Raise PermissionDenied unless this actor has at least the given role."""
        if ROLE_RANK.get(self.role, 0) < ROLE_RANK[role]:
            raise PermissionDenied(f"this action needs the {role} role")

    def capped(self, role: str) -> Actor:
        """Return this actor with at most the given role (a token never outranks its owner)."""
        if ROLE_RANK.get(role, 0) >= ROLE_RANK.get(self.role, 0):
            return self
        return replace(self, role=role)

    @property
    def audit_kind(self) -> str:
        """Return the actor kind recorded in audit rows."""
        return "system" if self.kind == "system" else "user"


def system_actor(workspace_id: int) -> Actor:
    """Return the actor used by the CLI, jobs and the demo loader."""
    return Actor(workspace_id=workspace_id, user_id=None, role="admin", kind="system")
