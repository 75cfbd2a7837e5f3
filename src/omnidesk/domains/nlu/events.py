"""The NLU domain's events: intent models stored and activated."""

from __future__ import annotations

from typing import Any, ClassVar

from omnidesk.core.events import Event


class NluModelStored(Event):
    """A trained intent model was stored (not yet serving)."""

    name: ClassVar[str] = "nlu.model_stored"
    example: ClassVar[dict[str, Any]] = {"version": 3, "labels": 12, "source": "shipped"}

    version: int
    labels: int
    source: str | None = None


class NluModelActivated(Event):
    """A stored intent model became the workspace's serving model."""

    name: ClassVar[str] = "nlu.model_activated"
    example: ClassVar[dict[str, Any]] = {"version": 3}

    version: int
