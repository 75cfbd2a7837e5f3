"""The rules subscriber: receives exactly the events some workspace's enabled rules trigger on.

It declares every event a rule may trigger on, and its audience reads, once per dispatcher
pass, which workspaces have enabled rules for which events; the dispatcher writes a delivery
only for those, so an event no rule looks at costs nothing.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import DeliveredEvent, Event, SubscriberRegistry
from omnidesk.domains.automation.rule_actions import do_apply_rules
from omnidesk.domains.automation.service import enabled_triggers
from omnidesk.domains.automation.triggers import TRIGGERS, accepts


class RulesAudience:
    """Which workspaces have enabled rules on which events, as last read from the database."""

    def __init__(self) -> None:
        self.triggers: dict[int, frozenset[str]] = {}

    async def refresh(self, session: AsyncSession) -> None:
        """Reload the enabled rules' triggers (one query)."""
        self.triggers = await enabled_triggers(session)

    def wants(self, workspace_id: int | None, event_name: str) -> bool:
        """Tell whether the workspace has an enabled rule on this event."""
        return workspace_id is not None and event_name in self.triggers.get(workspace_id, ())


async def apply_rules(event: DeliveredEvent[Event], session: AsyncSession) -> None:
    """Run the workspace's rules on the event; the runs commit with the delivery."""
    if event.workspace_id is None:
        return
    await do_apply_rules(session, workspace_id=event.workspace_id, event_id=event.id,
                         event=event.data)


def register(registry: SubscriberRegistry) -> None:
    """Add the rules subscriber."""
    registry.subscribe(*TRIGGERS, name="automation.rules", when=accepts,
                       audience=RulesAudience())(apply_rules)
