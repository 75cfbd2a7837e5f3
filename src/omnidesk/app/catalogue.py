"""The event catalogue: every domain event model, found in the `events` modules of the package.

Importing an ``events`` module registers its ``Event`` subclasses in ``core.events.CATALOGUE``;
``load_catalogue`` imports them all, so a new domain's events join without a hand-kept list.
It finds them by reading the package's folders, importing only the ``events`` modules (and their
packages): ``pkgutil.walk_packages`` imports every package to look inside it, which at each
process start imported the migrations (Alembic), the CLI commands, the demo data set and every
channel adapter (0.3 s of CPU on the event loop, before the app served).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from dataclasses import dataclass

import omnidesk
from omnidesk.core.events import CATALOGUE, Event, SubscriberRegistry


def load_catalogue() -> dict[str, type[Event]]:
    """Import every `omnidesk.**.events` module and return the catalogue, by event name."""
    for name in event_modules(list(omnidesk.__path__), "omnidesk."):
        importlib.import_module(name)
    return {name: model for name, model in sorted(CATALOGUE.items())
            if model.__module__.startswith("omnidesk.")}  # not events that tests declare


def event_modules(path: list[str], prefix: str) -> list[str]:
    """Return the names of the ``events`` modules in and below the package at ``path``,
    in the order ``pkgutil.walk_packages`` finds them, without importing anything."""
    found = []
    for info in pkgutil.iter_modules(path, prefix):
        if info.name.rsplit(".", 1)[-1] == "events":
            found.append(info.name)
        if info.ispkg:
            last = info.name.rsplit(".", 1)[-1]
            found += event_modules([os.path.join(folder, last) for folder in path],
                                   info.name + ".")
    return found


@dataclass(frozen=True)
class CatalogueEntry:
    """One event type as `omnidesk events list` shows it."""

    name: str
    domain: str
    fields: dict[str, str]
    subscribers: list[str]


def describe(registry: SubscriberRegistry) -> list[CatalogueEntry]:
    """Describe every event: its domain, its fields with types, and who subscribes to it."""
    entries = []
    for name, model in load_catalogue().items():
        fields = {field: _type_name(info.annotation) for field, info in model.model_fields.items()}
        subscribers = sorted(s.name for s in registry.for_name(name))
        entries.append(CatalogueEntry(name, model.domain(), fields, subscribers))
    return entries


def _type_name(annotation: object) -> str:
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else None
    return text or str(annotation).replace("typing.", "")
