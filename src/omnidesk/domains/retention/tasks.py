"""The retention schedule: every hour each workspace with a retention policy is purged."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import DeliveredEvent, ScheduleFired, SubscriberRegistry
from omnidesk.domains.retention.purge_actions import do_purge
from omnidesk.domains.retention.schemas import retention_settings
from omnidesk.domains.workspaces.service import list_workspaces

PURGE_SECONDS = 3600.0


@dataclass(frozen=True)
class RetentionJob:
    """Purge every workspace by its policy (the scheduler runs it once across processes)."""

    upload_dir: Path

    async def purge_all(self, event: DeliveredEvent[ScheduleFired],
                        session: AsyncSession) -> None:
        """Run one purge per workspace that keeps some kind of data for a limited time."""
        for workspace in await list_workspaces(session):
            policy = retention_settings(workspace.settings)
            if any(policy.model_dump().values()):
                await do_purge(session, workspace_id=workspace.id, policy=policy,
                               upload_dir=self.upload_dir)

    def register(self, registry: SubscriberRegistry) -> None:
        """Schedule the purge."""
        registry.every(PURGE_SECONDS, name="retention_purge")(self.purge_all)
