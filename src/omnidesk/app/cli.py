"""The `omnidesk` command line: serve, worker, database, demo, import and admin tools."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from omnidesk.app.commands import channels as channel_commands
from omnidesk.app.commands import events as event_commands
from omnidesk.app.commands import kb as kb_commands
from omnidesk.app.commands import nlu as nlu_commands
from omnidesk.app.commands import pii as pii_commands
from omnidesk.app.commands import privacy as privacy_commands
from omnidesk.app.commands import report as report_commands
from omnidesk.app.commands import simulate as simulate_commands
from omnidesk.app.commands.admin import admin_app, outbox_app
from omnidesk.app.commands.data import demo_app, import_app
from omnidesk.config import get_settings

app = typer.Typer(help="omnidesk: AI omnichannel contact center", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(import_app, name="import")
app.add_typer(admin_app, name="admin")
app.add_typer(outbox_app, name="outbox")
app.add_typer(nlu_commands.app, name="nlu")
app.add_typer(kb_commands.app, name="kb")
app.add_typer(channel_commands.app, name="channels")
app.add_typer(event_commands.app, name="events")
app.add_typer(pii_commands.app, name="pii")
app.add_typer(privacy_commands.app, name="privacy")
app.add_typer(report_commands.app, name="report")
if hasattr(simulate_commands, "simulate_command"):
    app.command("simulate", help="Simulate routing against Erlang C")(
        simulate_commands.simulate_command)
console = Console(stderr=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
    reload: Annotated[bool, typer.Option(help="Reload on code changes")] = False,
) -> None:
    """Serve the agent workspace, API, widget and demo store (dispatcher included)."""
    import uvicorn

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    if "public_url" not in settings.model_fields_set:
        # Links we send out (bot article links, mail) point where this server is served
        # (`make run PORT=…`), unless OMNIDESK_PUBLIC_URL says otherwise.
        os.environ["OMNIDESK_PUBLIC_URL"] = served_url(host, port)
        get_settings.cache_clear()
    uvicorn.run("omnidesk.app.main:create_app", factory=True, host=host,
                port=port, reload=reload, log_level=settings.log_level.lower(),
                ws="websockets-sansio" if _has_sansio() else "auto")


def served_url(host: str, port: int) -> str:
    """Return the URL a browser on this machine reaches the server at."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}"


def _has_sansio() -> bool:
    try:
        import uvicorn.protocols.websockets.websockets_sansio_impl  # noqa: F401
    except ImportError:
        return False
    return True


@app.command()
def worker() -> None:
    """Run the outbox dispatcher as its own process (several may run at once)."""
    from omnidesk.app.worker import run_worker

    settings = get_settings()
    logging.basicConfig(level=settings.log_level)
    asyncio.run(run_worker(settings))


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations (creates the SQLite file if needed)."""
    from omnidesk.migrations import upgrade

    settings = get_settings()
    _ensure_sqlite_dir(settings.database_url)
    upgrade(settings.database_url, revision)
    console.print(f"[green]database at {revision}[/green]")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()] = "-1") -> None:
    """Revert migrations (default: one step)."""
    from omnidesk.migrations import downgrade

    downgrade(get_settings().database_url, revision)
    console.print(f"[yellow]database downgraded to {revision}[/yellow]")


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite") and ":///" in url:
        path = url.split(":///", 1)[1]
        if path and path != ":memory:":
            Path(path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


@app.command()
def version() -> None:
    """Print the version."""
    from omnidesk import __version__

    typer.echo(__version__)


if __name__ == "__main__":
    app()
