"""`omnidesk events …`: the domain event catalogue (names, fields, subscribers)."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from omnidesk.app.catalogue import describe
from omnidesk.app.commands.runtime import print_json, print_table
from omnidesk.app.subscribers import build_registry
from omnidesk.config import get_settings

app = typer.Typer(help="The domain event catalogue", no_args_is_help=True)


@app.command("list")
def list_events(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per event")] = False,
) -> None:
    """Print every event: its domain, payload fields and the subscribers that receive it."""
    entries = describe(build_registry(get_settings()))
    if as_json:
        for entry in entries:
            print_json(dataclasses.asdict(entry))
        return
    rows: list[list[object]] = [
        [e.name, e.domain, ", ".join(f"{k}: {v}" for k, v in e.fields.items()),
         ", ".join(e.subscribers) or "-"]
        for e in entries
    ]
    print_table(f"{len(entries)} events", ["event", "domain", "fields", "subscribers"], rows)
