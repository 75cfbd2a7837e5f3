"""Shared plumbing for CLI commands: a database session, errors as messages, output."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.config import get_settings
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.core.errors import DomainError

T = TypeVar("T")
err_console = Console(stderr=True, soft_wrap=True)


def run_with_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run an async function with a session on the configured database; errors exit 1."""

    async def main() -> T:
        engine = create_engine(get_settings().database_url)
        try:
            async with create_session_factory(engine)() as session:
                return await work(session)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except DomainError as exc:
        fail(exc.message)
        raise  # unreachable: fail exits


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an error for the user and exit non-zero."""
    err_console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


def print_table(title: str, columns: list[str], rows: list[list[object]]) -> None:
    """Print rows as a Rich table on stdout."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*[str(v) for v in row])
    Console().print(table)


def print_json(data: object) -> None:
    """Print one JSON object on stdout."""
    typer.echo(json.dumps(data, ensure_ascii=False, default=str))


@contextmanager
def progress_bar(console: Console) -> Iterator[Callable[[str, int, int], None]]:
    """Show a Rich progress bar; yield ``report(step, done, total)`` to move it."""
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("training", total=1)

        def report(step: str, done: int, total: int) -> None:
            progress.update(task, description=step, completed=done, total=total)

        yield report
