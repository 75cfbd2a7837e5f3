"""People who work in a workspace: users with roles, teams, skills and API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omnidesk.core.db import Base, IdMixin, IdType, TimestampMixin, WorkspaceScoped, utcnow

ROLES = ("admin", "supervisor", "agent")
SESSION_LIFETIME = dt.timedelta(days=14)
DEFAULT_CAPACITY: dict[str, int] = {"voice": 1, "chat": 3, "email": 5}
# How an agent is told (sound, desktop, tab title) and about what (assigned, message in theirs,
# mention, SLA about to breach); the schema (NotifySettings) validates and fills the gaps.
DEFAULT_NOTIFY: dict[str, bool] = {"sound": True, "desktop": False, "title": True,
                                   "assigned": True, "message": True, "mention": True,
                                   "sla": True}


class User(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """An admin, supervisor or agent who logs in to the workspace."""

    __tablename__ = "users"
    # Unique per workspace: creating a user never reveals an account in another workspace.
    __table_args__ = (UniqueConstraint("workspace_id", "email"),)

    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="agent")
    locale: Mapped[str] = mapped_column(String(8), default="ko")
    languages: Mapped[list[Any]] = mapped_column(default=lambda: ["ko"])
    capacity: Mapped[dict[str, Any]] = mapped_column(default=lambda: dict(DEFAULT_CAPACITY))
    notify: Mapped[dict[str, Any]] = mapped_column(default=lambda: dict(DEFAULT_NOTIFY))
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[dt.datetime | None]
    # a custom role: its permissions replace the built-in role's (role keeps its base rank)
    role_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("roles.id", ondelete="SET NULL"))
    # limited: sees only the conversations (and their customers) of their teams, of the inboxes
    # listed here, and those assigned to them; admins are never limited
    scope_limited: Mapped[bool] = mapped_column(default=False)
    scope_inbox_ids: Mapped[list[Any]] = mapped_column(default=list)
    # two-factor sign-in: the TOTP secret sealed by the web edge, the last time step accepted
    # (a code works once), and SHA-256 hashes of the unused recovery codes
    totp_sealed: Mapped[str | None] = mapped_column(Text)
    totp_enabled_at: Mapped[dt.datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    recovery_codes: Mapped[list[Any]] = mapped_column(default=list)

    skills: Mapped[list[UserSkill]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    memberships: Mapped[list[TeamMember]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )


class Role(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """A custom role: a name, the built-in role whose rank it has, and its permissions."""

    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    name: Mapped[str] = mapped_column(String(80))
    base_role: Mapped[str] = mapped_column(String(16), default="agent")
    permissions: Mapped[list[Any]] = mapped_column(default=list)
    description: Mapped[str | None] = mapped_column(String(300))


class Team(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """A group of agents a conversation can be assigned to."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(500))

    members: Mapped[list[TeamMember]] = relationship(
        back_populates="team", cascade="all, delete-orphan", lazy="selectin"
    )


class TeamMember(Base, IdMixin, WorkspaceScoped):
    """Membership of a user in a team."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    team_id: Mapped[int] = mapped_column(IdType, ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )

    team: Mapped[Team] = relationship(back_populates="members")
    user: Mapped[User] = relationship(back_populates="memberships")


class Skill(Base, IdMixin, WorkspaceScoped):
    """A routable competence such as installation or payments."""

    __tablename__ = "skills"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(String(300))


class UserSkill(Base, IdMixin, WorkspaceScoped):
    """A user's proficiency (1–5) in a skill."""

    __tablename__ = "user_skills"
    __table_args__ = (UniqueConstraint("user_id", "skill_id"),)

    user_id: Mapped[int] = mapped_column(IdType, ForeignKey("users.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(IdType, ForeignKey("skills.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(default=3)

    user: Mapped[User] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship(lazy="joined")


class ApiToken(Base, IdMixin, WorkspaceScoped):
    """A bearer token for the HTTP API; only its SHA-256 hash is stored."""

    __tablename__ = "api_tokens"

    user_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16), default="admin")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]


class UserSession(Base, IdMixin, WorkspaceScoped):
    """A browser's login; the signed cookie holds its key, so ending the row ends the login.

    Logout revokes one row; a password change, role change or deactivation revokes the user's
    rows. Every process reads the same rows, so a revocation holds everywhere at once.
    """

    __tablename__ = "user_sessions"

    user_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
    user_agent: Mapped[str | None] = mapped_column(String(200))  # shown in the session list
