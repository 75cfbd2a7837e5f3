"""Reads of users, teams, skills and API tokens, always within one workspace."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.db import get_in_workspace, utcnow
from omnidesk.core.security import hash_token
from omnidesk.domains.agents.models import ApiToken, Skill, Team, User
from omnidesk.domains.agents.schemas import SkillLevel, TeamRead, UserRead


async def get_user(session: AsyncSession, *, workspace_id: int, user_id: int) -> User:
    """Return a user of the workspace or raise NotFound."""
    return await get_in_workspace(session, User, workspace_id=workspace_id,
                                  object_id=user_id, what="user")


async def get_user_by_email(session: AsyncSession, *, email: str) -> User | None:
    """Return the user with this login email (emails are unique across workspaces)."""
    return await session.scalar(select(User).where(User.email == email.strip().lower()))


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


async def list_skills(session: AsyncSession, *, workspace_id: int) -> list[Skill]:
    """List the workspace's skills."""
    rows = await session.scalars(
        select(Skill).where(Skill.workspace_id == workspace_id).order_by(Skill.name)
    )
    return list(rows.all())


async def authenticate_token(session: AsyncSession, *, token: str) -> Actor | None:
    """Resolve a bearer token to an actor, or None when unknown or revoked."""
    row = await session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    row.last_used_at = utcnow()
    return Actor(workspace_id=row.workspace_id, user_id=row.user_id, role=row.role, kind="token")


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
        is_active=user.is_active, created_at=user.created_at,
    )


def team_read(team: Team) -> TeamRead:
    """Build the API view of a team with member ids."""
    return TeamRead(id=team.id, name=team.name, description=team.description,
                    member_ids=sorted(m.user_id for m in team.members))
