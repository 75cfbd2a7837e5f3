"""Writes of users, teams, skills and API tokens: mutate, audit and emit in one transaction."""

from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import Conflict, InvalidInput, NotFound
from omnidesk.core.events import Event, emit
from omnidesk.core.security import hash_password, hash_token, new_api_token
from omnidesk.domains.agents import events as ev
from omnidesk.domains.agents.models import (
    ApiToken,
    Role,
    Skill,
    Team,
    TeamMember,
    User,
    UserSession,
    UserSkill,
)
from omnidesk.domains.agents.passwords import check_password
from omnidesk.domains.agents.schemas import (
    ApiTokenCreate,
    RoleCreate,
    RoleUpdate,
    SkillLevel,
    TeamCreate,
    TeamUpdate,
    UserCreate,
    UserUpdate,
    security_settings,
)
from omnidesk.domains.agents.service import (
    get_role,
    get_team,
    get_user,
    get_user_by_email,
    role_read,
    user_read,
)
from omnidesk.domains.workspaces.actions import do_create_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceCreate
from omnidesk.domains.workspaces.service import count_workspaces, get_workspace


async def do_ensure_skill(session: AsyncSession, *, workspace_id: int, name: str) -> Skill:
    """Return the workspace's skill with this name, creating it if missing."""
    skill = await session.scalar(
        select(Skill).where(Skill.workspace_id == workspace_id, Skill.name == name)
    )
    if skill is None:
        skill = Skill(workspace_id=workspace_id, name=name)
        session.add(skill)
        await session.flush()
    return skill


async def _set_skills(session: AsyncSession, user: User, skills: list[SkillLevel]) -> None:
    user.skills.clear()
    await session.flush()
    for item in skills:
        skill = await do_ensure_skill(session, workspace_id=user.workspace_id, name=item.name)
        user.skills.append(
            UserSkill(workspace_id=user.workspace_id, skill_id=skill.id, level=item.level,
                      skill=skill)
        )


async def _set_teams(session: AsyncSession, user: User, team_ids: list[int]) -> None:
    for team_id in dict.fromkeys(team_ids):
        try:
            await get_team(session, workspace_id=user.workspace_id, team_id=team_id)
        except NotFound as exc:
            raise InvalidInput(f"team {team_id} is not in this workspace",
                               field="team_ids") from exc
        user.memberships.append(TeamMember(workspace_id=user.workspace_id, team_id=team_id))


async def do_create_user(session: AsyncSession, *, actor: Actor, user_in: UserCreate) -> User:
    """Create a user in the actor's workspace (admins only); emails are unique."""
    actor.require("admin")
    email = user_in.email.strip().lower()
    if await get_user_by_email(session, workspace_id=actor.workspace_id, email=email):
        raise Conflict(f"a user with email {email} already exists", field="email")
    if user_in.password:
        await _check_password(session, actor.workspace_id, user_in.password, email,
                              user_in.name)
    user = User(
        workspace_id=actor.workspace_id, email=email, name=user_in.name, role=user_in.role,
        locale=user_in.locale, languages=user_in.languages, capacity=user_in.capacity,
        password_hash=hash_password(user_in.password) if user_in.password else None,
        skills=[], memberships=[], scope_limited=user_in.scope_limited,
        scope_inbox_ids=sorted(set(user_in.scope_inbox_ids)),
    )
    if user_in.role_id is not None:
        await _apply_role(session, user, user_in.role_id)
    session.add(user)
    await session.flush()
    await _set_skills(session, user, user_in.skills)
    await _set_teams(session, user, user_in.team_ids)
    _record(session, actor, ev.UserCreated(user_id=user.id, role=user.role), "user", user.id,
            {}, after=_user_audit(user))
    return user


async def do_first_run(session: AsyncSession, *, workspace_in: WorkspaceCreate,
                       admin_in: UserCreate) -> User:
    """Create the server's first workspace and its first admin; refused once one exists."""
    if await count_workspaces(session):
        raise Conflict("this server is already set up: log in instead")
    workspace = await do_create_workspace(session, workspace_in=workspace_in,
                                          created_by="first-run")
    if await count_workspaces(session) != 1:  # someone else set it up meanwhile
        raise Conflict("this server is already set up: log in instead")
    admin = admin_in.model_copy(update={"role": "admin", "role_id": None,
                                        "languages": workspace_in.languages or
                                        [workspace_in.default_locale]})
    return await do_create_user(session, actor=Actor(workspace_id=workspace.id, user_id=None,
                                                     role="admin", kind="system"),
                                user_in=admin)


async def _check_password(session: AsyncSession, workspace_id: int, password: str, email: str,
                          name: str) -> None:
    """Apply the workspace's password policy (length, common passwords, own name)."""
    workspace = await get_workspace(session, workspace_id=workspace_id)
    rules = security_settings(workspace.settings)
    check_password(password, min_length=rules.password_min_length, email=email, name=name)


def _user_audit(user: User) -> dict[str, object]:
    """Return what the audit log keeps of a user (never the password hash)."""
    return user_read(user).model_dump(mode="json", exclude={"created_at"})


async def _apply_role(session: AsyncSession, user: User, role_id: int | None) -> None:
    """Give the user a custom role (its base rank becomes their role), or take it away."""
    if role_id is None:
        user.role_id = None
        return
    role = await get_role(session, workspace_id=user.workspace_id, role_id=role_id)
    user.role_id, user.role = role.id, role.base_role


async def do_update_user(
    session: AsyncSession, *, actor: Actor, user_id: int, user_in: UserUpdate
) -> User:
    """Update a user; admins change anyone, others only their own profile basics."""
    user = await get_user(session, workspace_id=actor.workspace_id, user_id=user_id)
    before = _user_audit(user)
    changes = user_in.model_dump(exclude_unset=True)
    if actor.user_id != user.id or {"role", "is_active", "capacity", "skills", "team_ids",
                                     "role_id", "scope_limited", "scope_inbox_ids"} & set(changes):
        actor.require("admin")
    if "role" in changes and "role_id" not in changes:
        changes["role_id"] = None  # a built-in role chosen by name replaces the custom one
    if "role_id" in changes:
        if changes["role_id"] != user.role_id:
            await do_revoke_sessions(session, user_id=user.id)
        await _apply_role(session, user, changes.pop("role_id"))
    if "scope_inbox_ids" in changes and changes["scope_inbox_ids"] is not None:
        changes["scope_inbox_ids"] = sorted(set(changes["scope_inbox_ids"]))
    if changes.get("password"):
        await _check_password(session, user.workspace_id, changes["password"], user.email,
                              user.name)
        user.password_hash = hash_password(changes.pop("password"))
        # The session that changed its own password stays; every other one ends.
        own = actor.session_id if actor.user_id == user.id else None
        await do_revoke_sessions(session, user_id=user.id, keep_session_id=own)
    if "skills" in changes and user_in.skills is not None:
        changes.pop("skills")
        await _set_skills(session, user, user_in.skills)
    if "team_ids" in changes:
        team_ids = changes.pop("team_ids")
        if team_ids is not None:
            user.memberships.clear()
            await session.flush()
            await _set_teams(session, user, team_ids)
    if (changes.get("role") not in (None, user.role)
            or changes.get("is_active") is False and user.is_active):
        await do_revoke_sessions(session, user_id=user.id)
    for key, value in changes.items():
        if value is not None:
            setattr(user, key, value)
    fields = sorted(set(changes) | ({"role_id"} & user_in.model_fields_set))
    _record(session, actor, ev.UserUpdated(user_id=user.id, fields=fields), "user",
            user.id, {"fields": fields}, before=before, after=_user_audit(user))
    return user


async def do_start_session(session: AsyncSession, *, user: User,
                           user_agent: str | None = None) -> str:
    """Open a login session for the user; return its key (kept only in the signed cookie)."""
    key = secrets.token_urlsafe(32)
    session.add(UserSession(workspace_id=user.workspace_id, user_id=user.id,
                            key_hash=hash_token(key),
                            user_agent=(user_agent or "")[:200] or None))
    user.last_login_at = utcnow()
    await session.flush()
    return key


async def do_end_session(session: AsyncSession, *, key: str) -> None:
    """Revoke one login session (logout); an unknown or ended key changes nothing."""
    await session.execute(
        update(UserSession)
        .where(UserSession.key_hash == hash_token(key), UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow()))


async def do_revoke_sessions(session: AsyncSession, *, user_id: int,
                             keep_session_id: int | None = None) -> None:
    """Revoke every live login session of a user (but the one to keep, if any)."""
    query = update(UserSession).where(UserSession.user_id == user_id,
                                      UserSession.revoked_at.is_(None))
    if keep_session_id is not None:
        query = query.where(UserSession.id != keep_session_id)
    await session.execute(query.values(revoked_at=utcnow()))


async def do_create_team(session: AsyncSession, *, actor: Actor, team_in: TeamCreate) -> Team:
    """Create a team with its members (admins only)."""
    actor.require("admin")
    exists = await session.scalar(
        select(Team).where(Team.workspace_id == actor.workspace_id, Team.name == team_in.name)
    )
    if exists:
        raise Conflict(f"team {team_in.name!r} already exists", field="name")
    team = Team(workspace_id=actor.workspace_id, name=team_in.name, members=[],
                description=team_in.description)
    session.add(team)
    await session.flush()
    await _set_members(session, team, team_in.member_ids)
    _record(session, actor, ev.TeamCreated(team_id=team.id, team_name=team.name), "team", team.id,
            {"name": team.name})
    return team


async def do_update_team(
    session: AsyncSession, *, actor: Actor, team_id: int, team_in: TeamUpdate
) -> Team:
    """Rename a team or replace its members (admins and supervisors)."""
    actor.require("supervisor")
    team = await get_team(session, workspace_id=actor.workspace_id, team_id=team_id)
    changes = team_in.changes()
    if "member_ids" in changes:
        await _set_members(session, team, changes.pop("member_ids"))
    for key, value in changes.items():  # null clears the description
        setattr(team, key, value)
    _record(session, actor, ev.TeamUpdated(team_id=team.id), "team", team.id, {})
    return team


async def _set_members(session: AsyncSession, team: Team, member_ids: list[int]) -> None:
    for user_id in member_ids:
        try:
            await get_user(session, workspace_id=team.workspace_id, user_id=user_id)
        except NotFound as exc:
            raise InvalidInput(f"user {user_id} is not in this workspace",
                               field="member_ids") from exc
    team.members.clear()
    await session.flush()
    for user_id in dict.fromkeys(member_ids):
        team.members.append(TeamMember(workspace_id=team.workspace_id, user_id=user_id))


async def do_create_api_token(
    session: AsyncSession, *, actor: Actor, token_in: ApiTokenCreate
) -> tuple[ApiToken, str]:
    """Create an API token; return the row and the clear token, shown once."""
    actor.require("admin")
    token, token_hash, prefix = new_api_token()
    row = ApiToken(workspace_id=actor.workspace_id, user_id=actor.user_id, name=token_in.name,
                   token_hash=token_hash, prefix=prefix, role=token_in.role)
    session.add(row)
    await session.flush()
    _record(session, actor, ev.ApiTokenCreated(api_token_id=row.id, token_name=row.name),
            "api_token", row.id, {"name": row.name})
    return row, token


async def do_revoke_api_token(session: AsyncSession, *, actor: Actor, token_id: int) -> ApiToken:
    """Revoke an API token of the workspace."""
    actor.require("admin")
    row = await session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.workspace_id == actor.workspace_id)
    )
    if row is None:
        raise NotFound("api token not found")
    row.revoked_at = row.revoked_at or utcnow()
    _record(session, actor, ev.ApiTokenRevoked(api_token_id=row.id), "api_token", row.id, {})
    return row


async def do_create_role(session: AsyncSession, *, actor: Actor, role_in: RoleCreate) -> Role:
    """Create a custom role (admins only); names are unique per workspace."""
    actor.require("admin")
    await _refuse_taken_name(session, actor.workspace_id, role_in.name)
    role = Role(workspace_id=actor.workspace_id, name=role_in.name, base_role=role_in.base_role,
                permissions=role_in.permissions, description=role_in.description)
    session.add(role)
    await session.flush()
    _record(session, actor, ev.RoleCreated(role_id=role.id, role_name=role.name), "role",
            role.id, {}, after=_role_audit(role))
    return role


async def do_update_role(session: AsyncSession, *, actor: Actor, role_id: int,
                         role_in: RoleUpdate) -> Role:
    """Change a custom role; its holders take a new base rank at once and sign in again."""
    actor.require("admin")
    role = await get_role(session, workspace_id=actor.workspace_id, role_id=role_id)
    before = _role_audit(role)
    changes = role_in.changes()
    if changes.get("name") not in (None, role.name):
        await _refuse_taken_name(session, actor.workspace_id, changes["name"])
    for key, value in changes.items():
        setattr(role, key, value)
    if "base_role" in changes:
        holders = await session.scalars(select(User).where(User.role_id == role.id))
        for user in holders.all():
            if user.role != role.base_role:
                user.role = role.base_role
                await do_revoke_sessions(session, user_id=user.id)
    _record(session, actor, ev.RoleUpdated(role_id=role.id), "role", role.id, {},
            before=before, after=_role_audit(role))
    return role


async def do_delete_role(session: AsyncSession, *, actor: Actor, role_id: int) -> None:
    """Delete a custom role; its holders keep their base role's built-in permissions."""
    actor.require("admin")
    role = await get_role(session, workspace_id=actor.workspace_id, role_id=role_id)
    before = _role_audit(role)
    await session.execute(update(User).where(User.role_id == role.id).values(role_id=None))
    await session.delete(role)
    _record(session, actor, ev.RoleDeleted(role_id=role_id), "role", role_id, {},
            before=before, after={})


async def _refuse_taken_name(session: AsyncSession, workspace_id: int, name: str) -> None:
    if await session.scalar(select(Role.id).where(Role.workspace_id == workspace_id,
                                                  Role.name == name)):
        raise Conflict(f"a role named {name!r} already exists", field="name")


def _role_audit(role: Role) -> dict[str, object]:
    return role_read(role).model_dump(mode="json")


def _record(session: AsyncSession, actor: Actor, event: Event, obj: str, obj_id: int,
            data: dict, *, before: dict | None = None, after: dict | None = None) -> None:
    audit(session, workspace_id=actor.workspace_id, action=event.name,
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type=obj, object_id=obj_id,
          data=data, before=before, after=after)
    emit(session, event, workspace_id=actor.workspace_id)
