"""`omnidesk channels …`: connect a workspace's channel from a settings file, list connections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.actions import check_connect_channel
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.registry import build_registry
from omnidesk.channels.schemas import ChannelConnectionRead
from omnidesk.channels.service import describe_connection, list_workspace_connections
from omnidesk.commands.runtime import fail, print_json, print_table, run_with_session
from omnidesk.config import get_settings
from omnidesk.core.context import system_actor
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.service import get_workspace_by_slug

app = typer.Typer(help="Connect channels (email, SMS, voice, messengers)", no_args_is_help=True)
WorkspaceOption = Annotated[str, typer.Option("--workspace", help="Workspace slug")]


def _read_settings(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    except ValueError as exc:
        fail(f"{path} is not JSON: {exc}")
    if not isinstance(data, dict):
        fail(f"{path} must hold a JSON object of settings")
    return data


async def _workspace(session: AsyncSession, slug: str) -> Workspace:
    workspace = await get_workspace_by_slug(session, slug=slug)
    if workspace is None:
        fail(f"no workspace with slug {slug!r} (see `omnidesk admin workspaces`)")
    return workspace


@app.command("connect")
def connect(
    kind: Annotated[str, typer.Argument(help="Channel kind, e.g. email, sms, voice")],
    workspace: WorkspaceOption,
    settings_file: Annotated[Path, typer.Option("--settings-file", help="JSON settings")],
    name: Annotated[str | None, typer.Option(help="Display name")] = None,
) -> None:
    """Connect (or update) a channel; prints the masked settings and the webhook URL."""
    adapters = build_registry()
    if kind not in adapters:
        fail(f"unknown channel {kind!r}; known: {', '.join(sorted(adapters))}")
    values = _read_settings(settings_file)
    settings = get_settings()
    cipher = SettingsCipher(settings.effective_secret_key)

    async def work(session: AsyncSession) -> ChannelConnectionRead:
        ws = await _workspace(session, workspace)
        connection = await check_connect_channel(
            session, actor=system_actor(ws.id), adapter=adapters[kind], name=name,
            settings=values, cipher=cipher)
        await session.commit()
        return describe_connection(connection, adapters[kind], cipher,
                                   public_url=settings.public_url, workspace_slug=ws.slug)

    print_json(run_with_session(work).model_dump(mode="json"))


@app.command("list")
def list_channels(workspace: WorkspaceOption) -> None:
    """List a workspace's channels with their webhook URLs (secrets are never printed)."""
    adapters = build_registry()
    settings = get_settings()
    cipher = SettingsCipher(settings.effective_secret_key)

    async def work(session: AsyncSession) -> list[ChannelConnectionRead]:
        ws = await _workspace(session, workspace)
        rows = await list_workspace_connections(session, workspace_id=ws.id)
        return [describe_connection(r, adapters[r.kind], cipher, public_url=settings.public_url,
                                    workspace_slug=ws.slug) for r in rows if r.kind in adapters]

    rows = run_with_session(work)
    print_table(f"channels of {workspace}", ["kind", "name", "active", "webhook URL"],
                [[r.kind, r.name, r.is_active, r.webhook_url] for r in rows])
