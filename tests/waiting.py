"""Waiting in tests for something another task or process does, without a fixed sleep."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def until(condition: Callable[[], object], *, seconds: float = 10) -> None:
    """Return as soon as ``condition()`` holds (looked at every 20 ms); fail after ``seconds``."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")
