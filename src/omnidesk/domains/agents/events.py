"""The agents domain's events: people, teams and API tokens of a workspace."""

from __future__ import annotations

from typing import Any, ClassVar

from omnidesk.core.events import Event


class UserCreated(Event):
    """A person was added to the workspace with a role."""

    name: ClassVar[str] = "user.created"
    example: ClassVar[dict[str, Any]] = {"user_id": 3, "role": "agent"}

    user_id: int
    role: str


class UserUpdated(Event):
    """A person's profile, role, capacity or activity changed (`fields` names what)."""

    name: ClassVar[str] = "user.updated"
    example: ClassVar[dict[str, Any]] = {"user_id": 3, "fields": ["capacity"]}

    user_id: int
    fields: list[str]


class TeamCreated(Event):
    """A team was created."""

    name: ClassVar[str] = "team.created"
    example: ClassVar[dict[str, Any]] = {"team_id": 2, "team_name": "배송"}

    team_id: int
    team_name: str


class TeamUpdated(Event):
    """A team's name or members changed."""

    name: ClassVar[str] = "team.updated"
    example: ClassVar[dict[str, Any]] = {"team_id": 2}

    team_id: int


class ApiTokenCreated(Event):
    """An API token was issued (never its secret)."""

    name: ClassVar[str] = "api_token.created"
    example: ClassVar[dict[str, Any]] = {"api_token_id": 4, "token_name": "zapier"}

    api_token_id: int
    token_name: str


class ApiTokenRevoked(Event):
    """An API token was revoked."""

    name: ClassVar[str] = "api_token.revoked"
    example: ClassVar[dict[str, Any]] = {"api_token_id": 4}

    api_token_id: int


class RoleCreated(Event):
    """A custom role was created."""

    name: ClassVar[str] = "role.created"
    example: ClassVar[dict[str, Any]] = {"role_id": 2, "role_name": "감사 담당"}

    role_id: int
    role_name: str


class RoleUpdated(Event):
    """A custom role's name, base role or permissions changed."""

    name: ClassVar[str] = "role.updated"
    example: ClassVar[dict[str, Any]] = {"role_id": 2}

    role_id: int


class RoleDeleted(Event):
    """A custom role was deleted; its holders keep their base role."""

    name: ClassVar[str] = "role.deleted"
    example: ClassVar[dict[str, Any]] = {"role_id": 2}

    role_id: int
