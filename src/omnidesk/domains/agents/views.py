"""Users, teams and API tokens API."""

from __future__ import annotations

from fastapi import APIRouter

from omnidesk.core.api import ApiRoute
from omnidesk.core.context import BUILTIN_PERMISSIONS, PERMISSIONS
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.agents import actions, service
from omnidesk.domains.agents.schemas import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenRead,
    PermissionRead,
    RoleCreate,
    RoleRead,
    RoleUpdate,
    TeamCreate,
    TeamRead,
    TeamUpdate,
    UserCreate,
    UserRead,
    UserUpdate,
)

router = APIRouter(prefix="/api/v1", tags=["users and teams"], route_class=ApiRoute)


@router.get("/users", response_model=list[UserRead])
async def list_users(actor: ActorDep, session: SessionDep) -> list[UserRead]:
    """List the workspace's users."""
    return [service.user_read(u) for u in await service.list_users(
        session, workspace_id=actor.workspace_id)]


@router.post("/users", response_model=UserRead, status_code=201)
async def create_user(user_in: UserCreate, actor: ActorDep, session: SessionDep) -> UserRead:
    """Create a user (admins)."""
    user = await actions.do_create_user(session, actor=actor, user_in=user_in)
    await session.commit()
    return service.user_read(user)


@router.get("/users/{user_id}", response_model=UserRead)
async def read_user(user_id: Id, actor: ActorDep, session: SessionDep) -> UserRead:
    """Return one user."""
    return service.user_read(
        await service.get_user(session, workspace_id=actor.workspace_id, user_id=user_id))


@router.patch("/users/{user_id}", response_model=UserRead)
async def update_user(
    user_id: Id, user_in: UserUpdate, actor: ActorDep, session: SessionDep
) -> UserRead:
    """Update a user."""
    user = await actions.do_update_user(session, actor=actor, user_id=user_id, user_in=user_in)
    await session.commit()
    return service.user_read(user)


@router.get("/teams", response_model=list[TeamRead])
async def list_teams(actor: ActorDep, session: SessionDep) -> list[TeamRead]:
    """List the workspace's teams."""
    return [service.team_read(t) for t in await service.list_teams(
        session, workspace_id=actor.workspace_id)]


@router.post("/teams", response_model=TeamRead, status_code=201)
async def create_team(team_in: TeamCreate, actor: ActorDep, session: SessionDep) -> TeamRead:
    """Create a team (admins)."""
    team = await actions.do_create_team(session, actor=actor, team_in=team_in)
    await session.commit()
    return service.team_read(team)


@router.get("/teams/{team_id}", response_model=TeamRead)
async def read_team(team_id: Id, actor: ActorDep, session: SessionDep) -> TeamRead:
    """Return one team."""
    return service.team_read(
        await service.get_team(session, workspace_id=actor.workspace_id, team_id=team_id))


@router.patch("/teams/{team_id}", response_model=TeamRead)
async def update_team(
    team_id: Id, team_in: TeamUpdate, actor: ActorDep, session: SessionDep
) -> TeamRead:
    """Rename a team or replace its members."""
    team = await actions.do_update_team(session, actor=actor, team_id=team_id, team_in=team_in)
    await session.commit()
    return service.team_read(team)


@router.get("/api-tokens", response_model=list[ApiTokenRead])
async def list_tokens(actor: ActorDep, session: SessionDep) -> list[ApiTokenRead]:
    """List API tokens (admins); the secrets are never shown again."""
    actor.require("admin")
    rows = await service.list_api_tokens(session, workspace_id=actor.workspace_id)
    return [ApiTokenRead.model_validate(r) for r in rows]


@router.post("/api-tokens", response_model=ApiTokenCreated, status_code=201)
async def create_token(
    token_in: ApiTokenCreate, actor: ActorDep, session: SessionDep
) -> ApiTokenCreated:
    """Create an API token; the response holds the token, shown only this once."""
    row, token = await actions.do_create_api_token(session, actor=actor, token_in=token_in)
    await session.commit()
    return ApiTokenCreated(**ApiTokenRead.model_validate(row).model_dump(), token=token)


@router.delete("/api-tokens/{token_id}", response_model=ApiTokenRead)
async def revoke_token(token_id: Id, actor: ActorDep, session: SessionDep) -> ApiTokenRead:
    """Revoke an API token."""
    row = await actions.do_revoke_api_token(session, actor=actor, token_id=token_id)
    await session.commit()
    return ApiTokenRead.model_validate(row)


@router.get("/permissions", response_model=list[PermissionRead])
async def list_permissions(actor: ActorDep) -> list[PermissionRead]:
    """List the permissions a custom role may hold and which built-in roles hold each."""
    return [PermissionRead(name=name, description=text,
                           builtin_roles=[r for r, held in BUILTIN_PERMISSIONS.items()
                                          if name in held])
            for name, text in PERMISSIONS.items()]


@router.get("/roles", response_model=list[RoleRead])
async def list_roles(actor: ActorDep, session: SessionDep) -> list[RoleRead]:
    """List the workspace's custom roles (the built-in admin, supervisor, agent always exist)."""
    return [service.role_read(r) for r in await service.list_roles(
        session, workspace_id=actor.workspace_id)]


@router.post("/roles", response_model=RoleRead, status_code=201)
async def create_role(role_in: RoleCreate, actor: ActorDep, session: SessionDep) -> RoleRead:
    """Create a custom role (admins)."""
    role = await actions.do_create_role(session, actor=actor, role_in=role_in)
    await session.commit()
    return service.role_read(role)


@router.patch("/roles/{role_id}", response_model=RoleRead)
async def update_role(role_id: Id, role_in: RoleUpdate, actor: ActorDep,
                      session: SessionDep) -> RoleRead:
    """Change a custom role (admins); its holders sign in again when its rank changes."""
    role = await actions.do_update_role(session, actor=actor, role_id=role_id, role_in=role_in)
    await session.commit()
    return service.role_read(role)


@router.delete("/roles/{role_id}", status_code=204)
async def delete_role(role_id: Id, actor: ActorDep, session: SessionDep) -> None:
    """Delete a custom role (admins); its holders keep their base role."""
    await actions.do_delete_role(session, actor=actor, role_id=role_id)
    await session.commit()
