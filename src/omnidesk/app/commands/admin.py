"""`omnidesk admin …` (workspaces, users, tokens) and `omnidesk outbox …` (dead letters)."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.app.commands.runtime import fail, print_table, run_with_session
from omnidesk.core.context import system_actor
from omnidesk.core.outbox import do_replay_delivery, list_deliveries
from omnidesk.domains.agents.actions import do_create_api_token, do_create_user
from omnidesk.domains.agents.schemas import ApiTokenCreate, UserCreate
from omnidesk.domains.workspaces.actions import do_create_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceCreate
from omnidesk.domains.workspaces.service import get_workspace_by_slug, list_workspaces

admin_app = typer.Typer(help="Workspaces, users and API tokens", no_args_is_help=True)
outbox_app = typer.Typer(help="Inspect and replay event deliveries", no_args_is_help=True)


async def _workspace_id(session: AsyncSession, slug: str) -> int:
    workspace = await get_workspace_by_slug(session, slug=slug)
    if workspace is None:
        fail(f"no workspace with slug {slug!r} (see `omnidesk admin workspaces`)")
    return workspace.id


@admin_app.command("workspaces")
def workspaces() -> None:
    """List workspaces."""
    rows = run_with_session(list_workspaces)
    print_table("workspaces", ["id", "slug", "name"], [[w.id, w.slug, w.name] for w in rows])


@admin_app.command("create-workspace")
def create_workspace(
    slug: str, name: str, locale: Annotated[str, typer.Option()] = "ko"
) -> None:
    """Create a workspace."""

    async def work(session: AsyncSession) -> int:
        ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(
            slug=slug, name=name, default_locale=locale), created_by="cli")
        await session.commit()
        return ws.id

    typer.echo(f"workspace {slug} created (id {run_with_session(work)})")


@admin_app.command("create-user")
def create_user(
    workspace: Annotated[str, typer.Option(help="Workspace slug")],
    email: str,
    name: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    role: Annotated[str, typer.Option()] = "agent",
) -> None:
    """Create a user who can log in."""

    async def work(session: AsyncSession) -> int:
        actor = system_actor(await _workspace_id(session, workspace))
        user = await do_create_user(session, actor=actor, user_in=UserCreate(
            email=email, name=name, password=password, role=role))
        await session.commit()
        return user.id

    typer.echo(f"user {email} created (id {run_with_session(work)})")


@admin_app.command("create-token")
def create_token(
    workspace: Annotated[str, typer.Option(help="Workspace slug")],
    name: Annotated[str, typer.Option(help="What the token is for")] = "cli",
    role: Annotated[str, typer.Option()] = "admin",
) -> None:
    """Create an API token and print it once."""

    async def work(session: AsyncSession) -> str:
        actor = system_actor(await _workspace_id(session, workspace))
        _, token = await do_create_api_token(session, actor=actor, token_in=ApiTokenCreate(
            name=name, role=role))
        await session.commit()
        return token

    typer.echo(run_with_session(work))


@outbox_app.command("list")
def list_dead(status: Annotated[str, typer.Option()] = "dead") -> None:
    """List event deliveries in a state (dead letters by default)."""

    async def work(session: AsyncSession) -> list[list[object]]:
        rows = await list_deliveries(session, status=status, limit=200)
        return [[d.id, name, d.subscriber, d.attempts, (d.last_error or "")[:80]]
                for d, name in rows]

    print_table(f"{status} deliveries", ["id", "event", "subscriber", "attempts", "last error"],
                run_with_session(work))


@outbox_app.command("replay")
def replay(delivery_id: int) -> None:
    """Put a dead-lettered delivery back in the queue."""

    async def work(session: AsyncSession) -> None:
        await do_replay_delivery(session, delivery_id=delivery_id)
        await session.commit()

    run_with_session(work)
    typer.echo(f"delivery {delivery_id} queued again")
