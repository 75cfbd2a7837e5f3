"""User, team, skill and API token schemas."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from omnidesk.channels.manifests import KINDS
from omnidesk.core.channel_manifest import CAPACITY_CLASSES
from omnidesk.core.context import PERMISSIONS
from omnidesk.core.schemas import Id, Patch
from omnidesk.domains.agents.models import DEFAULT_CAPACITY

Role = Literal["admin", "supervisor", "agent"]
# Agents are sized per capacity class; a per-channel-kind limit and the older work types are kept.
CHANNEL_KINDS = {*CAPACITY_CLASSES, "messaging", "social", *KINDS}
MAX_CAPACITY = 50  # conversations at once of one kind, per person


def check_capacity(value: dict[str, int]) -> dict[str, int]:
    """Validate per-channel concurrent capacity limits."""
    for channel, limit in value.items():
        if channel not in CHANNEL_KINDS or not 0 <= limit <= MAX_CAPACITY:
            raise ValueError(f"capacity {channel}={limit}: channel in {sorted(CHANNEL_KINDS)}, "
                             f"limit 0..{MAX_CAPACITY}")
    return value


class SkillLevel(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    level: int = Field(3, ge=1, le=5)


class UserCreate(BaseModel):
    email: EmailStr
    name: str = Field(min_length=1, max_length=200)
    password: str | None = Field(None, min_length=8, max_length=200)
    role: Role = "agent"
    locale: Literal["ko", "en"] = "ko"
    languages: list[str] = Field(default_factory=lambda: ["ko"])
    capacity: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_CAPACITY))
    skills: list[SkillLevel] = Field(default_factory=list)
    team_ids: list[Id] = Field(default_factory=list)
    role_id: Id | None = Field(None, description="A custom role (its permissions apply)")
    scope_limited: bool = Field(False, description="See only own teams' and inboxes' work")
    scope_inbox_ids: list[Id] = Field(default_factory=list, max_length=200)

    @field_validator("capacity")
    @classmethod
    def _capacity_sane(cls, value: dict[str, int]) -> dict[str, int]:
        return check_capacity(value)


class NotifySettings(BaseModel):
    """An agent's notification settings: how (sound, desktop, title) and on what."""

    sound: bool = Field(True, description="Play a sound")
    desktop: bool = Field(False, description="Show a desktop notification (browser permission)")
    title: bool = Field(True, description="Count unseen alerts in the tab title")
    assigned: bool = Field(True, description="A conversation is assigned to me")
    message: bool = Field(True, description="A customer writes in one of mine")
    mention: bool = Field(True, description="A colleague mentions me in a note")
    sla: bool = Field(True, description="An SLA of one of mine is about to breach")

    @classmethod
    def of(cls, stored: dict[str, Any] | None) -> NotifySettings:
        """Read a user's stored settings, defaults for what is missing or unknown."""
        return cls.model_validate({k: v for k, v in (stored or {}).items()
                                   if k in cls.model_fields})


class UserUpdate(Patch):
    nullable = frozenset({"role_id"})

    name: str | None = Field(None, min_length=1, max_length=200)
    password: str | None = Field(None, min_length=8, max_length=200)
    role: Role | None = None
    locale: Literal["ko", "en"] | None = None
    languages: list[str] | None = None
    capacity: dict[str, int] | None = None
    skills: list[SkillLevel] | None = None
    team_ids: list[Id] | None = Field(None, max_length=100,
                                      description="Replaces the teams the person belongs to")
    is_active: bool | None = None
    role_id: Id | None = Field(None, description="A custom role; null returns to the built-in one")
    scope_limited: bool | None = None
    scope_inbox_ids: list[Id] | None = Field(None, max_length=200)
    notify: NotifySettings | None = None

    @field_validator("capacity")
    @classmethod
    def _capacity_sane(cls, value: dict[str, int] | None) -> dict[str, int] | None:
        return None if value is None else check_capacity(value)


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    role: str
    locale: str
    languages: list[str]
    capacity: dict[str, int]
    skills: list[SkillLevel]
    team_ids: list[int]
    is_active: bool
    created_at: dt.datetime
    role_id: int | None = None
    scope_limited: bool = False
    scope_inbox_ids: list[int] = Field(default_factory=list)
    two_factor: bool = False


def check_permissions(value: list[str]) -> list[str]:
    """Refuse permissions that are not in the catalogue."""
    unknown = sorted(set(value) - set(PERMISSIONS))
    if unknown:
        raise ValueError(f"unknown permissions {unknown}; known: {sorted(PERMISSIONS)}")
    return sorted(set(value))


class RoleCreate(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    base_role: Role = Field("agent", description="The built-in role whose rank it has")
    permissions: list[str] = Field(default_factory=list, max_length=50)
    description: str | None = Field(None, max_length=300)

    @field_validator("permissions")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        return check_permissions(value)


class RoleUpdate(Patch):
    nullable = frozenset({"description"})

    name: str | None = Field(None, min_length=1, max_length=80)
    base_role: Role | None = None
    permissions: list[str] | None = Field(None, max_length=50)
    description: str | None = Field(None, max_length=300)

    @field_validator("permissions")
    @classmethod
    def _known(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else check_permissions(value)


class RoleRead(BaseModel):
    id: int
    name: str
    base_role: str
    permissions: list[str]
    description: str | None


class TeamCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    description: str | None = Field(None, max_length=500)
    member_ids: list[Id] = Field(default_factory=list)


class TeamUpdate(Patch):
    nullable = frozenset({"description"})

    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=500)
    member_ids: list[Id] | None = None


class TeamRead(BaseModel):
    id: int
    name: str
    description: str | None
    member_ids: list[int]


class ApiTokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    role: Role = "admin"


class ApiTokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    role: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class ApiTokenCreated(ApiTokenRead):
    token: str = Field(description="Shown once; only its hash is stored")


class PermissionRead(BaseModel):
    name: str
    description: str
    builtin_roles: list[str]


class SecuritySettings(BaseModel):
    """The workspace's `security` settings section: staff sign-in rules."""

    model_config = ConfigDict(extra="forbid")

    require_admin_2fa: bool = Field(False, description="Admins must sign in with a TOTP code")
    idle_timeout_minutes: int = Field(0, ge=0, le=7 * 24 * 60,
                                      description="Sign staff out after this long idle (0: never)")
    password_min_length: int = Field(10, ge=8, le=128)


def security_settings(settings: dict[str, Any] | None) -> SecuritySettings:
    """Read the workspace's security section (defaults for what is missing or unreadable)."""
    try:
        return SecuritySettings.model_validate((settings or {}).get("security") or {})
    except ValueError:
        return SecuritySettings()


class TotpConfirm(BaseModel):
    code: str = Field(min_length=6, max_length=12, description="A code from the app")


class SessionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    revoked_at: dt.datetime | None
    user_agent: str | None
    current: bool = False
