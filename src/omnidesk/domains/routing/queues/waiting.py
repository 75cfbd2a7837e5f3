"""A queue of waiting items that hands each freed agent its best eligible item quickly.

Items are grouped by requirement (channel, language, skills); each group is a heap ordered by the
engine's static priority key, which is valid because scores of waiting items never cross (see
``engine``). A freed agent looks only at the top of each group it is eligible for, so choosing costs
O(groups + log n) instead of scanning every waiting item.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterator
from itertools import count
from typing import Any

from omnidesk.domains.routing.assignment.engine import (
    AgentState,
    QueuePolicy,
    WorkItem,
    is_eligible,
    priority_key,
    sticky_applies,
)

Entry = tuple[float, int, WorkItem]


class WaitingQueue:
    """Waiting items of one queue, indexed for fast best-item-for-agent selection."""

    def __init__(self, policy: QueuePolicy) -> None:
        self.policy = policy
        self._groups: dict[tuple[Any, ...], list[Entry]] = {}
        self._items: dict[Hashable, WorkItem] = {}
        self._sticky: dict[Hashable, set[Hashable]] = {}
        self._seq = count()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, item_id: Hashable) -> bool:
        return item_id in self._items

    def __iter__(self) -> Iterator[WorkItem]:
        return iter(list(self._items.values()))

    def push(self, item: WorkItem) -> None:
        """Add an item to wait."""
        self._items[item.id] = item
        entry = (-priority_key(item, self.policy), next(self._seq), item)
        heapq.heappush(self._groups.setdefault(item.requirement(), []), entry)
        if item.last_agent_id is not None:
            self._sticky.setdefault(item.last_agent_id, set()).add(item.id)

    def remove(self, item_id: Hashable) -> WorkItem | None:
        """Take an item out (abandoned, overflowed, assigned elsewhere); heaps drop it lazily."""
        item = self._items.pop(item_id, None)
        if item is not None and item.last_agent_id is not None:
            self._sticky.get(item.last_agent_id, set()).discard(item_id)
        return item

    def pop_for(self, agent: AgentState, now: float) -> WorkItem | None:
        """Remove and return the item this agent should take next, or None."""
        sticky = self._best_sticky(agent, now)
        if sticky is not None:
            return self.remove(sticky.id)
        best: list[Entry] | None = None
        for heap in list(self._groups.values()):
            top = self._clean_top(heap)
            if top is None or not is_eligible(agent, top[2]):
                continue
            if best is None or top < best[0]:
                best = heap
        if best is None:
            return None
        return self.remove(heapq.heappop(best)[2].id)

    def _clean_top(self, heap: list[Entry]) -> Entry | None:
        """Drop entries that were removed and return the live top, if any."""
        while heap and self._items.get(heap[0][2].id) is not heap[0][2]:
            heapq.heappop(heap)
        return heap[0] if heap else None

    def _best_sticky(self, agent: AgentState, now: float) -> WorkItem | None:
        """Return the most urgent waiting item that sticks to this agent, if any."""
        ids = self._sticky.get(agent.id)
        if not ids:
            return None
        candidates = [
            self._items[i]
            for i in ids
            if sticky_applies(self._items[i], self.policy, now)
            and is_eligible(agent, self._items[i])
        ]
        if not candidates:
            return None
        return max(candidates, key=lambda it: (priority_key(it, self.policy), -it.enqueued_at))
