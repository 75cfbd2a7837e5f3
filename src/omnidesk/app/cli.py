"""The `omnidesk` command line: serve, worker, database, demo, import and admin tools."""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

# Command groups whose modules import the domains (the ORM, scikit-learn, the Korean analyser):
# name → (module, Typer attribute or command function, help shown in `omnidesk --help`). They are
# imported only when one of their commands runs, so `omnidesk --help` and `omnidesk serve` start
# without them; tests/test_cli.py checks each help here against the group's own.
LAZY: dict[str, tuple[str, str, str]] = {
    "demo": ("omnidesk.app.commands.data", "demo_app", "The demo workspace"),
    "import": ("omnidesk.app.commands.data", "import_app", "Import data from other systems"),
    "admin": ("omnidesk.app.commands.admin", "admin_app", "Workspaces, users and API tokens"),
    "outbox": ("omnidesk.app.commands.admin", "outbox_app", "Inspect and replay event deliveries"),
    "nlu": ("omnidesk.app.commands.nlu", "app", "Train, evaluate and try intent models."),
    "engagement": ("omnidesk.app.commands.engagement", "app",
                   "Contact reasons predicted from behaviour: train, evaluate."),
    "kb": ("omnidesk.app.commands.kb", "app",
           "Knowledge base: search evaluation, import, export, reindex."),
    "channels": ("omnidesk.app.commands.channels", "app",
                 "Connect channels (email, SMS, voice, messengers)"),
    "events": ("omnidesk.app.commands.events", "app", "The domain event catalogue"),
    "pii": ("omnidesk.app.commands.pii", "app",
            "Personal data: detect, score the detector, rotate the encryption key."),
    "privacy": ("omnidesk.app.commands.privacy", "app",
                "Retention purges, customer erasure and data export"),
    "report": ("omnidesk.app.commands.report", "app", "KPI reports"),
    "simulate": ("omnidesk.app.commands.simulate", "simulate_command",
                 "Simulate routing against Erlang C"),
    "bench": ("omnidesk.app.commands.bench", "bench_command",
              "Benchmark the widget endpoint beside a raw reference"),
}


def load_lazy(name: str) -> Any:
    """Import a lazy command group and return it as a click command named ``name``."""
    module_name, attribute, help_text = LAZY[name]
    importlib.import_module("omnidesk.all_models")  # every table, so relations resolve
    target = getattr(importlib.import_module(module_name), attribute)
    holder = typer.Typer()
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)  # as a group, even when it has one command
        return typer.main.get_group(holder).commands[name]
    holder.command(name, help=help_text)(target)  # a single command function
    command = typer.main.get_command(holder)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """The root command: lists the lazy groups from :data:`LAZY`, imports one when it runs."""

    listing = False

    # (typer vendors its own click; its types are private, hence Any for context and command)
    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in LAZY if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in LAZY:
            return super().get_command(ctx, cmd_name)
        if self.listing:  # `--help` shows the name and help without importing the group
            return TyperCommand(cmd_name, help=LAZY[cmd_name][2])
        self.commands[cmd_name] = load_lazy(cmd_name)
        return self.commands[cmd_name]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False


app = typer.Typer(help="omnidesk: AI omnichannel contact center", no_args_is_help=True,
                  cls=LazyGroup)
db_app = typer.Typer(help="Database migrations", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console(stderr=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
    reload: Annotated[bool, typer.Option(help="Reload on code changes")] = False,
    workers: Annotated[int, typer.Option(
        min=1, help="Web processes sharing the port (more than one needs OMNIDESK_REDIS_URL "
                    "and PostgreSQL)")] = 1,
) -> None:
    """Serve the agent workspace, API, widget and demo store (dispatcher included).

    The port answers /healthz at once; the application loads behind it (see app/asgi.py).
    """
    import uvicorn

    from omnidesk.config import get_settings  # pydantic and SQLAlchemy: not for `--help`

    settings = get_settings()
    if workers > 1 and (not settings.redis_url or settings.is_sqlite):
        console.print("[red]--workers above 1 needs OMNIDESK_REDIS_URL (realtime, rate limits, "
                      "presence shared between processes) and a PostgreSQL database[/red]")
        raise typer.Exit(2)
    host, port = host or settings.host, port or settings.port
    if "public_url" not in settings.model_fields_set:
        # Links we send out (bot article links, mail) point where this server is served
        # (`make run PORT=…`), unless OMNIDESK_PUBLIC_URL says otherwise.
        os.environ["OMNIDESK_PUBLIC_URL"] = served_url(host, port)
        get_settings.cache_clear()
    uvicorn.run("omnidesk.app.asgi:create_app", factory=True, host=host,
                port=port, reload=reload, log_level=settings.log_level.lower(),
                workers=None if reload else workers,
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
    import asyncio
    import threading

    from omnidesk.app.asgi import import_quickly, preload_analyser
    from omnidesk.config import get_settings

    # as `serve` does: the Korean analyser is built beside the import (native code, GIL
    # released), which runs with the garbage collector paused
    threading.Thread(target=preload_analyser, name="preload", daemon=True).start()
    run_worker = import_quickly("omnidesk.app.worker").run_worker
    settings = get_settings()
    logging.basicConfig(level=settings.log_level)
    asyncio.run(run_worker(settings))


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations (creates the SQLite file if needed)."""
    from omnidesk.config import get_settings
    from omnidesk.migrations import upgrade

    settings = get_settings()
    _ensure_sqlite_dir(settings.database_url)
    upgrade(settings.database_url, revision)
    console.print(f"[green]database at {revision}[/green]")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()] = "-1") -> None:
    """Revert migrations (default: one step)."""
    from omnidesk.config import get_settings
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
