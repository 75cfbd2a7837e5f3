"""`omnidesk channels …`: connect a workspace's channel accounts (inboxes), list and remove them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.app.commands.runtime import fail, print_json, print_table, run_with_session
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.inbox_port import ChannelInboxPort
from omnidesk.channels.manifests import KINDS
from omnidesk.channels.registry import build_registry
from omnidesk.channels.schemas import ChannelConnect
from omnidesk.channels.views import check_connect_by_kind
from omnidesk.config import get_settings
from omnidesk.core.context import system_actor
from omnidesk.domains.inboxes.actions import check_delete_inbox
from omnidesk.domains.inboxes.schemas import InboxRead
from omnidesk.domains.inboxes.service import list_inboxes
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


def _port() -> ChannelInboxPort:
    settings = get_settings()
    return ChannelInboxPort(build_registry(), SettingsCipher(settings.effective_secret_key),
                            settings.public_url)


@app.command("connect")
def connect(
    kind: Annotated[str, typer.Argument(help="Channel kind, e.g. email, sms, voice")],
    workspace: WorkspaceOption,
    settings_file: Annotated[Path, typer.Option("--settings-file", help="JSON settings")],
    name: Annotated[str | None, typer.Option(help="Display name")] = None,
    inbox: Annotated[int | None, typer.Option("--inbox", help="Update this inbox id")] = None,
    new: Annotated[bool, typer.Option("--new", help="Add another inbox of this kind")] = False,
) -> None:
    """Connect a channel account as an inbox (or update one); prints masked settings and URL.

    Without --inbox or --new, the workspace's first inbox of the kind is updated, or created.
    """
    port = _port()
    if not port.knows(kind):
        fail(f"unknown channel {kind!r}; known: {', '.join(KINDS)}")
    connect_in = ChannelConnect(name=name, settings=_read_settings(settings_file))

    async def work(session: AsyncSession) -> InboxRead:
        actor = system_actor((await _workspace(session, workspace)).id)
        row = await check_connect_by_kind(session, actor=actor, kind=kind, connect_in=connect_in,
                                          port=port, inbox_id=inbox, new=new)
        await session.commit()
        return port.describe(row)

    print_json(run_with_session(work).model_dump(mode="json"))


@app.command("list")
def list_channels(workspace: WorkspaceOption) -> None:
    """List a workspace's inboxes with their webhook URLs (secrets are never printed)."""
    port = _port()

    async def work(session: AsyncSession) -> list[InboxRead]:
        ws = await _workspace(session, workspace)
        return [port.describe(r) for r in await list_inboxes(session, workspace_id=ws.id)]

    rows = run_with_session(work)
    print_table(f"inboxes of {workspace}", ["id", "kind", "name", "active", "webhook URL"],
                [[r.id, r.kind, r.name, r.is_active, r.webhook_url or "-"] for r in rows])


@app.command("remove")
def remove(inbox: Annotated[int, typer.Argument(help="Inbox id (see `channels list`)")],
           workspace: WorkspaceOption) -> None:
    """Remove an inbox; its conversations keep their history."""

    async def work(session: AsyncSession) -> None:
        actor = system_actor((await _workspace(session, workspace)).id)
        await check_delete_inbox(session, actor=actor, inbox_id=inbox)
        await session.commit()

    run_with_session(work)
    print_json({"removed": inbox})
