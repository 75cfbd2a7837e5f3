"""`omnidesk demo load` and `omnidesk import store PATH`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.app.commands.runtime import fail, run_with_session
from omnidesk.core.errors import InvalidInput
from omnidesk.domains.commerce.import_actions import do_import_store, read_store_export
from omnidesk.domains.workspaces.service import count_workspaces, get_workspace_by_slug

demo_app = typer.Typer(help="The demo workspace", no_args_is_help=True)
import_app = typer.Typer(help="Import data from other systems", no_args_is_help=True)


@demo_app.command("load")
def load(
    if_empty: Annotated[bool, typer.Option("--if-empty",
                                           help="Only when the database has no workspace")] = False,
    seed: Annotated[int, typer.Option(help="Random seed of the generated data")] = 7,
) -> None:
    """Load the 한빛리빙 demo store workspace (idempotent)."""
    from omnidesk.demo.loader import DEMO_PASSWORD, load_demo

    async def work(session: AsyncSession) -> str:
        if if_empty and await count_workspaces(session):
            return "database already has data; demo not loaded"
        report = await load_demo(session, seed=seed)
        extras = await _load_extras(session, report.workspace_id) if report.created else ""
        await session.commit()
        if not report.created:
            return "demo workspace 'hanbit' already loaded"
        return (f"demo workspace 'hanbit' loaded: {report.agents} agents, {report.customers} "
                f"customers, {report.orders} orders, {report.conversations} conversations "
                f"({report.messages} messages, {report.behaviour_events} site events){extras}. Log in as admin@hanbit.example / "
                f"{DEMO_PASSWORD}")

    typer.echo(run_with_session(work))


async def _load_extras(session: AsyncSession, workspace_id: int) -> str:
    """Load the other domains' demo content (knowledge base articles, NLU model, …)."""
    from omnidesk.demo.extras import load_demo_extras

    return await load_demo_extras(session, workspace_id)


@import_app.command("store")
def import_store(
    path: Annotated[Path, typer.Argument(help="Folder with users.json, orders.json, products.json")],
    workspace: Annotated[str, typer.Option(help="Workspace slug to import into")] = "hanbit",
) -> None:
    """Import a store's customers, products and orders (re-running updates in place)."""
    try:
        data = read_store_export(path)
    except InvalidInput as exc:
        fail(exc.message)

    async def work(session: AsyncSession) -> str:
        ws = await get_workspace_by_slug(session, slug=workspace)
        if ws is None:
            fail(f"no workspace {workspace!r}; run `omnidesk demo load` or "
                 "`omnidesk admin create-workspace` first")
        total = len(data["users"]) + len(data["orders"])
        with Progress(transient=True) as progress:
            task = progress.add_task("importing", total=total)
            report = await do_import_store(session, workspace_id=ws.id, data=data,
                                           progress=lambda: progress.advance(task))
        await session.commit()
        return (f"imported {report.customers} customers, {report.products} products, "
                f"{report.orders} orders into {workspace}")

    typer.echo(run_with_session(work))
