"""The analytics domain's events: a goal went off track (its owner is told)."""

from __future__ import annotations

from typing import Any, ClassVar

from omnidesk.core.events import Event


class GoalOffTrack(Event):
    """A goal is off track in its current period; ``user_id`` is its owner, told on screen."""

    name: ClassVar[str] = "goal.off_track"
    example: ClassVar[dict[str, Any]] = {
        "goal_id": 4, "user_id": 3, "metric": "fcr_rate", "target": 0.8, "value": 0.71,
        "text": "Goal off track: FCR 80% — now 71%"}

    goal_id: int
    user_id: int
    metric: str
    target: float
    value: float | None = None
    text: str = ""
