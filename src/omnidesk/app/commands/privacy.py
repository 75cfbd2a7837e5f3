"""`omnidesk privacy …`: retention purge, customer erasure and data export from the shell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.app.commands.runtime import fail, run_with_session
from omnidesk.config import get_settings
from omnidesk.core.context import system_actor
from omnidesk.core.errors import DomainError
from omnidesk.domains.retention.data_export import check_export_customer
from omnidesk.domains.retention.erasure_actions import do_erase_customer
from omnidesk.domains.retention.purge_actions import do_purge
from omnidesk.domains.retention.schemas import retention_settings
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.service import get_workspace_by_slug

app = typer.Typer(help="Retention purges, customer erasure and data export", no_args_is_help=True)
Slug = Annotated[str, typer.Option("--workspace", "-w", help="Workspace slug")]


async def _workspace(session: AsyncSession, slug: str) -> Workspace:
    workspace = await get_workspace_by_slug(session, slug=slug)
    if workspace is None:
        fail(f"no workspace with slug {slug!r} (see `omnidesk admin workspaces`)")
    return workspace


@app.command("purge")
def purge(workspace: Slug) -> None:
    """Remove what is past the workspace's retention periods now; print the report."""

    async def work(session: AsyncSession) -> str:
        ws = await _workspace(session, workspace)
        report = await do_purge(session, workspace_id=ws.id,
                                policy=retention_settings(ws.settings),
                                upload_dir=get_settings().upload_dir)
        await session.commit()
        return report.model_dump_json(indent=2)

    typer.echo(run_with_session(work))


@app.command("erase")
def erase(workspace: Slug, customer_id: int,
          yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone")]
          = False) -> None:
    """Erase a customer everywhere (statistics stay); print the certificate."""
    if not yes:
        fail("erasure cannot be undone: add --yes to confirm")

    async def work(session: AsyncSession) -> str:
        ws = await _workspace(session, workspace)
        try:
            certificate = await do_erase_customer(session, actor=system_actor(ws.id),
                                                  customer_id=customer_id,
                                                  upload_dir=get_settings().upload_dir)
        except DomainError as exc:
            fail(exc.message)
        await session.commit()
        return certificate.model_dump_json(indent=2)

    typer.echo(run_with_session(work))


@app.command("export")
def export(workspace: Slug, customer_id: int,
           out: Annotated[Path, typer.Option("--out", help="Zip file to write")]) -> None:
    """Write everything stored about a customer (JSON and files) to a zip file."""

    async def work(session: AsyncSession) -> bytes:
        ws = await _workspace(session, workspace)
        try:
            data = await check_export_customer(session, actor=system_actor(ws.id),
                                               customer_id=customer_id,
                                               upload_dir=get_settings().upload_dir)
        except DomainError as exc:
            fail(exc.message)
        await session.commit()
        return data

    out.write_bytes(run_with_session(work))
    typer.echo(json.dumps({"written": str(out)}))
