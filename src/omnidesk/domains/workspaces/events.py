"""The workspaces domain's events: a workspace created or changed, the demo loaded."""

from __future__ import annotations

from typing import Any, ClassVar

from omnidesk.core.events import Event


class WorkspaceCreated(Event):
    """A workspace (tenant) was created."""

    name: ClassVar[str] = "workspace.created"
    example: ClassVar[dict[str, Any]] = {"workspace_id": 1, "slug": "acme"}

    workspace_id: int
    slug: str


class WorkspaceUpdated(Event):
    """An admin changed workspace settings (`fields` names what)."""

    name: ClassVar[str] = "workspace.updated"
    example: ClassVar[dict[str, Any]] = {"workspace_id": 1, "fields": ["business_hours"]}

    workspace_id: int
    fields: list[str]


class DemoLoaded(Event):
    """The demo workspace was generated with this many conversations."""

    name: ClassVar[str] = "demo.loaded"
    example: ClassVar[dict[str, Any]] = {"workspace_id": 1, "conversations": 400}

    workspace_id: int
    conversations: int
