"""Reads of users, teams, skills and API tokens, always within one workspace."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import time
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import BUILTIN_PERMISSIONS, ROLE_RANK, Actor, Scope
from omnidesk.core.db import get_in_workspace, utcnow
from omnidesk.core.errors import NotFound
from omnidesk.core.security import (
    constant_time_equals,
    hash_token,
    hmac_sha256_hex,
    verify_password,
)
from omnidesk.domains.agents.models import (
    SESSION_LIFETIME,
    ApiToken,
    Role,
    Skill,
    Team,
    TeamMember,
    User,
    UserSession,
)
from omnidesk.domains.agents.schemas import (
    RoleRead,
    SkillLevel,
    TeamRead,
    UserRead,
    security_settings,
)
from omnidesk.domains.workspaces.models import Workspace

SEEN_EVERY = dt.timedelta(minutes=5)


async def get_user(session: AsyncSession, *, workspace_id: int, user_id: int) -> User:
    """Return a user of the workspace or raise NotFound."""
    return await get_in_workspace(session, User, workspace_id=workspace_id,
                                  object_id=user_id, what="user")


async def user_is_active(session: AsyncSession, *, workspace_id: int, user_id: int) -> bool:
    """Tell whether a user of the workspace is active (one narrow read), or raise NotFound."""
    active = await session.scalar(
        select(User.is_active).where(User.id == user_id, User.workspace_id == workspace_id)
    )
    if active is None:
        raise NotFound("user not found")
    return bool(active)


async def get_user_by_email(session: AsyncSession, *, workspace_id: int,
                            email: str) -> User | None:
    """Return the workspace's user with this email (emails are unique per workspace)."""
    return await session.scalar(select(User).where(User.workspace_id == workspace_id,
                                                   User.email == email.strip().lower()))


async def authenticate_password(session: AsyncSession, *, email: str,
                                password: str) -> list[User]:
    """Return the active accounts (one per workspace) that this email and password open.

    Every account with the email costs one password-hash check, and an unknown email costs one
    against a dummy hash, so the answer's timing does not tell whether the email exists.
    """
    users = (await session.scalars(select(User).where(User.email == email.strip().lower())
                                   .order_by(User.id))).all()
    if not users:
        verify_password(None, password)
        return []
    return [u for u in users if verify_password(u.password_hash, password) and u.is_active]


async def list_users(session: AsyncSession, *, workspace_id: int) -> list[User]:
    """List the workspace's users by name."""
    rows = await session.scalars(
        select(User).where(User.workspace_id == workspace_id).order_by(User.name)
    )
    return list(rows.all())


async def get_team(session: AsyncSession, *, workspace_id: int, team_id: int) -> Team:
    """Return a team of the workspace or raise NotFound."""
    return await get_in_workspace(session, Team, workspace_id=workspace_id,
                                  object_id=team_id, what="team")


async def list_teams(session: AsyncSession, *, workspace_id: int) -> list[Team]:
    """List the workspace's teams by name."""
    rows = await session.scalars(
        select(Team).where(Team.workspace_id == workspace_id).order_by(Team.name)
    )
    return list(rows.all())


async def team_lead(session: AsyncSession, *, workspace_id: int,
                    team_id: int | None) -> int | None:
    """Return a team's lead: its longest-serving active supervisor or admin member, if any."""
    if team_id is None:
        return None
    return await session.scalar(select(User.id).join(TeamMember, TeamMember.user_id == User.id)
                                .where(TeamMember.workspace_id == workspace_id,
                                       TeamMember.team_id == team_id,
                                       User.role.in_(("supervisor", "admin")),
                                       User.is_active.is_(True))
                                .order_by(TeamMember.id).limit(1))


async def list_skills(session: AsyncSession, *, workspace_id: int) -> list[Skill]:
    """List the workspace's skills."""
    rows = await session.scalars(
        select(Skill).where(Skill.workspace_id == workspace_id).order_by(Skill.name)
    )
    return list(rows.all())


async def authenticate_token(session: AsyncSession, *, token: str) -> Actor | None:
    """Resolve a bearer token to an actor, or None when unknown, revoked or its owner inactive.

    The token acts with its own role capped by its owner's current role, so demoting the
    owner demotes their tokens, and deactivating the owner stops them.
    """
    found = (await session.execute(
        select(ApiToken, User).outerjoin(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_token(token)))).first()
    if found is None or found[0].revoked_at is not None:
        return None
    row, owner = found
    if row.user_id is not None and (owner is None or not owner.is_active):
        return None
    now = utcnow()
    if row.last_used_at is None or row.last_used_at < now - SEEN_EVERY:
        row.last_used_at = now  # like a login's last_seen_at: no write on every request
    actor = Actor(workspace_id=row.workspace_id, user_id=row.user_id, role=row.role, kind="token")
    if owner is None:
        return actor
    # the token never outranks its owner: the owner's scope and permissions bound it too
    held = await _owner_bounds(session, owner)
    if ROLE_RANK.get(row.role, 0) >= ROLE_RANK.get(owner.role, 0):
        return replace(held, kind="token")  # acts as its owner, custom role and scope included
    lower = BUILTIN_PERMISSIONS.get(row.role, frozenset()) & _held(held)
    return replace(held, kind="token", role=row.role, permissions=lower)


async def authenticate_session(session: AsyncSession, *, key: str) -> Actor | None:
    """Resolve a login session's key to its user, or None once revoked, expired or inactive.

    Stamps last_seen_at at most every few minutes, so a busy agent costs no write per request.
    """
    now = utcnow()
    found = (await session.execute(
        select(UserSession, User, Workspace.settings).join(User, User.id == UserSession.user_id)
        .join(Workspace, Workspace.id == User.workspace_id)
        .where(UserSession.key_hash == hash_token(key), UserSession.revoked_at.is_(None),
               UserSession.created_at > now - SESSION_LIFETIME, User.is_active.is_(True)))).first()
    if found is None:
        return None
    row: UserSession = found[0]
    user: User = found[1]
    workspace_settings: dict[str, Any] | None = found[2]
    rules = security_settings(workspace_settings)
    idle = dt.timedelta(minutes=rules.idle_timeout_minutes)
    if rules.idle_timeout_minutes and row.last_seen_at < now - idle:
        row.revoked_at = now  # idle too long: this sign-in is over
        return None
    if rules.require_admin_2fa and user.role == "admin" and user.totp_enabled_at is None:
        return None  # the workspace now requires two-factor: sign in again and enrol
    if row.last_seen_at < now - (min(SEEN_EVERY, idle / 5) if rules.idle_timeout_minutes
                                 else SEEN_EVERY):
        row.last_seen_at = now
    held = await _owner_bounds(session, user)
    return replace(held, session_id=row.id)


def _held(actor: Actor) -> frozenset[str]:
    return BUILTIN_PERMISSIONS.get(actor.role, frozenset()) if actor.permissions is None \
        else actor.permissions


async def _owner_bounds(session: AsyncSession, user: User) -> Actor:
    """Build the actor a user acts as: role, custom role's permissions, visibility scope."""
    permissions = None
    if user.role_id is not None:
        role = await session.get(Role, user.role_id)
        if role is not None and role.workspace_id == user.workspace_id:
            permissions = frozenset(role.permissions) & BUILTIN_PERMISSIONS["admin"]
    scope = None
    if user.scope_limited and user.role != "admin":
        teams = await session.scalars(select(TeamMember.team_id)
                                      .where(TeamMember.user_id == user.id))
        scope = Scope(team_ids=frozenset(teams.all()),
                      inbox_ids=frozenset(int(i) for i in user.scope_inbox_ids or []))
    return Actor(workspace_id=user.workspace_id, user_id=user.id, role=user.role,
                 scope=scope, permissions=permissions)


async def actor_for_user(session: AsyncSession, *, user: User) -> Actor:
    """Return the actor a user acts as (role, custom permissions, scope), e.g. for the CLI."""
    return await _owner_bounds(session, user)


async def list_roles(session: AsyncSession, *, workspace_id: int) -> list[Role]:
    """List the workspace's custom roles by name."""
    rows = await session.scalars(select(Role).where(Role.workspace_id == workspace_id)
                                 .order_by(Role.name))
    return list(rows.all())


async def get_role(session: AsyncSession, *, workspace_id: int, role_id: int) -> Role:
    """Return a custom role of the workspace or raise NotFound."""
    return await get_in_workspace(session, Role, workspace_id=workspace_id,
                                  object_id=role_id, what="role")


def role_read(role: Role) -> RoleRead:
    """Build the API view of a custom role."""
    return RoleRead(id=role.id, name=role.name, base_role=role.base_role,
                    permissions=sorted(role.permissions or []), description=role.description)


async def list_sessions(session: AsyncSession, *, workspace_id: int, user_id: int | None,
                        live_only: bool = True) -> list[UserSession]:
    """List sign-in sessions of a user (or of everyone), newest first."""
    query = select(UserSession).where(UserSession.workspace_id == workspace_id)
    if user_id is not None:
        query = query.where(UserSession.user_id == user_id)
    if live_only:
        query = query.where(UserSession.revoked_at.is_(None),
                            UserSession.created_at > utcnow() - SESSION_LIFETIME)
    return list((await session.scalars(query.order_by(UserSession.id.desc()).limit(200))).all())


async def list_api_tokens(session: AsyncSession, *, workspace_id: int) -> list[ApiToken]:
    """List the workspace's API tokens (hashes never leave the database)."""
    rows = await session.scalars(
        select(ApiToken).where(ApiToken.workspace_id == workspace_id).order_by(ApiToken.id)
    )
    return list(rows.all())


def user_read(user: User) -> UserRead:
    """Build the API view of a user with skills and team ids."""
    return UserRead(
        id=user.id, email=user.email, name=user.name, role=user.role, locale=user.locale,
        languages=list(user.languages or []), capacity=dict(user.capacity or {}),
        skills=[SkillLevel(name=s.skill.name, level=s.level) for s in user.skills],
        team_ids=sorted(m.team_id for m in user.memberships),
        is_active=user.is_active, created_at=user.created_at, role_id=user.role_id,
        scope_limited=user.scope_limited, two_factor=user.totp_enabled_at is not None,
        scope_inbox_ids=sorted(int(i) for i in user.scope_inbox_ids or []),
    )


def team_read(team: Team) -> TeamRead:
    """Build the API view of a team with member ids."""
    return TeamRead(id=team.id, name=team.name, description=team.description,
                    member_ids=sorted(m.user_id for m in team.members))


# Links that let one person set their password: an invitation (7 days) or a reset (1 hour).
# Each is signed with the app's secret and bound to the password the account has now, so it
# works once: setting a password changes what it is bound to.
LINK_LIFETIME = {"invite": 7 * 86400, "reset": 3600}


def _bound_to(user: User) -> str:
    return hashlib.sha256((user.password_hash or "none").encode()).hexdigest()[:16]


def password_link_token(secret: str, user: User, purpose: str) -> str:
    """Return the signed token of an invitation or password-reset link for this person."""
    body = f"{purpose}.{user.workspace_id}.{user.id}.{int(time.time())}.{_bound_to(user)}"
    signed = f"{body}.{hmac_sha256_hex(secret, body)}"
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


async def user_for_link(session: AsyncSession, *, secret: str, token: str,
                        purpose: str) -> User | None:
    """Return the active person a valid, unexpired, unused link names, else None."""
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        kind, ws, uid, issued, bound, signature = text.split(".")
        ids = int(ws), int(uid), int(issued)
    except (ValueError, UnicodeDecodeError):
        return None
    body = text.rsplit(".", 1)[0]
    if kind != purpose or not constant_time_equals(signature, hmac_sha256_hex(secret, body)):
        return None
    if time.time() - ids[2] > LINK_LIFETIME[purpose]:
        return None
    user = await session.get(User, ids[1])
    if user is None or user.workspace_id != ids[0] or not user.is_active:
        return None
    return user if constant_time_equals(bound, _bound_to(user)) else None
