"""Who is acting: the workspace, user and role behind a request, CLI call or job."""

from __future__ import annotations

from dataclasses import dataclass, replace

from omnidesk.core.errors import PermissionDenied

ROLE_RANK = {"agent": 1, "supervisor": 2, "admin": 3}
BUILTIN_ROLES = tuple(ROLE_RANK)
PERMISSIONS: dict[str, str] = {
    "audit.read": "read the audit log",
    "privacy.export": "export a customer's data (access requests)",
    "privacy.erase": "erase a customer",
    "privacy.retention": "change retention policies and run a purge",
    "pii.reveal": "reveal masked personal data (with a reason)",
    "pii.access_log": "read the personal-data access log",
    "sessions.manage": "list and revoke other staff members' sign-in sessions",
}
"""What a custom role may grant on top of its base role; the built-in roles' sets follow."""
BUILTIN_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(PERMISSIONS),
    "supervisor": frozenset({"pii.reveal", "privacy.export"}),
    "agent": frozenset({"pii.reveal"}),
}


@dataclass(frozen=True)
class Scope:
    """What a limited staff member may see: their teams' and inboxes' conversations (and their
    own assignments). The rule that applies it is conversations.service.visible_clause."""

    team_ids: frozenset[int]
    inbox_ids: frozenset[int]


@dataclass(frozen=True)
class Actor:
    """The authenticated party; every service call is scoped to its workspace."""

    workspace_id: int
    user_id: int | None
    role: str
    kind: str = "user"  # user | token | system
    session_id: int | None = None  # the login session behind a browser request
    scope: Scope | None = None  # None: the whole workspace
    permissions: frozenset[str] | None = None  # None: the built-in role's set

    def can(self, permission: str) -> bool:
        """Tell whether this actor holds a permission (its custom role's, or its role's)."""
        held = BUILTIN_PERMISSIONS.get(self.role, frozenset()) if self.permissions is None \
            else self.permissions
        return permission in held

    def require_permission(self, permission: str) -> None:
        """Raise PermissionDenied unless this actor holds the permission."""
        if not self.can(permission):
            raise PermissionDenied(f"this action needs the {permission} permission")

    def require(self, role: str) -> None:
        """Raise PermissionDenied unless this actor has at least the given role."""
        if ROLE_RANK.get(self.role, 0) < ROLE_RANK[role]:
            raise PermissionDenied(f"this action needs the {role} role")

    def capped(self, role: str) -> Actor:
        """Return this actor with at most the given role (a token never outranks its owner)."""
        if ROLE_RANK.get(role, 0) >= ROLE_RANK.get(self.role, 0):
            return self
        held = BUILTIN_PERMISSIONS[role] if self.permissions is None else self.permissions
        return replace(self, role=role, permissions=held & BUILTIN_PERMISSIONS[role])

    @property
    def audit_kind(self) -> str:
        """Return the actor kind recorded in audit rows."""
        return "system" if self.kind == "system" else "user"


def system_actor(workspace_id: int) -> Actor:
    """Return the actor used by the CLI, jobs and the demo loader."""
    return Actor(workspace_id=workspace_id, user_id=None, role="admin", kind="system")
