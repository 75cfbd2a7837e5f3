"""Agents' sockets per process, and away when the last one closes (presence grace timers).

The tracker counts each agent's open sockets in this process. When the last one closes and does
not come back within a grace period (a page navigation reconnects within a second), an online
agent becomes away; their next socket (or activity after idle) brings them back online, but only
if it was the tracker that set them away.
"""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import FastAPI

from omnidesk.domains.routing.presence.actions import do_move_presence

GRACE_SECONDS = 20.0


class PresenceTracker:
    """Open agent sockets per user in this process, and who was set away automatically."""

    def __init__(self, grace_seconds: float = GRACE_SECONDS) -> None:
        self.grace_seconds = grace_seconds
        self.sockets: dict[int, int] = {}
        self.auto_away: set[int] = set()
        self.timers: dict[int, asyncio.Task[None]] = {}

    async def connected(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        """Count a socket; bring back online someone this tracker had set away."""
        self.sockets[user_id] = self.sockets.get(user_id, 0) + 1
        timer = self.timers.pop(user_id, None)
        if timer is not None:
            timer.cancel()
        await self.back(app, workspace_id, user_id)

    def disconnected(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        """Uncount a socket; after the grace period without one, set an online agent away."""
        left = max(self.sockets.get(user_id, 0) - 1, 0)
        self.sockets[user_id] = left
        if left == 0 and user_id not in self.timers:
            self.timers[user_id] = asyncio.create_task(self._away_later(app, workspace_id, user_id))

    async def _away_later(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(self.grace_seconds)
            self.timers.pop(user_id, None)
            if not self.sockets.get(user_id):
                await self.away(app, workspace_id, user_id)

    async def away(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        """Set an online agent away and remember it was automatic."""
        if await change_presence(app, workspace_id, user_id, expected="online", new="away"):
            self.auto_away.add(user_id)

    async def back(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        """Bring an automatically-away agent back online (a manual away stays)."""
        if user_id in self.auto_away:
            self.auto_away.discard(user_id)
            await change_presence(app, workspace_id, user_id, expected="away", new="online")


async def change_presence(
    app: FastAPI, workspace_id: int, user_id: int, *, expected: str, new: str
) -> bool:
    """Move an agent from one presence to another in its own transaction, if still expected."""
    async with app.state.session_factory() as session:
        moved = await do_move_presence(session, workspace_id=workspace_id, user_id=user_id,
                                       expected=expected, new=new)
        await session.commit()
    return moved


def presence_tracker(app: FastAPI) -> PresenceTracker:
    """Return the app's tracker, created on first use."""
    tracker = getattr(app.state, "presence_tracker", None)
    if tracker is None:
        tracker = app.state.presence_tracker = PresenceTracker()
    return tracker
