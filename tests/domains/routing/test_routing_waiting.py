"""The heap-backed waiting queue hands each freed agent the item the engine would rank first."""

from __future__ import annotations

import random

from omnidesk.domains.routing.assignment.engine import (
    AgentState,
    QueuePolicy,
    WorkItem,
    is_eligible,
    rank_items,
)
from omnidesk.domains.routing.queues.waiting import WaitingQueue


def test_pop_for_follows_the_engine_ranking() -> None:
    rng = random.Random(7)
    policy = QueuePolicy()
    items = [
        WorkItem(
            id=i,
            priority=rng.randrange(4),
            vip=rng.random() < 0.1,
            sentiment=rng.uniform(-1, 1),
            enqueued_at=rng.uniform(0, 1000),
            skills={rng.choice("xyz"): 1},
        )
        for i in range(300)
    ]
    queue = WaitingQueue(policy)
    for item in items:
        queue.push(item)
    agent = AgentState(id="a", skills={"x": 3, "y": 3}, capacity={"chat": 1})
    expected = [it.id for it in rank_items(items, policy) if is_eligible(agent, it)]
    served = []
    while (item := queue.pop_for(agent, now=2000.0)) is not None:
        served.append(item.id)
    assert served == expected
    assert len(queue) == sum(1 for it in items if "z" in it.skills)


def test_removed_items_are_never_served() -> None:
    queue = WaitingQueue(QueuePolicy())
    for i in range(5):
        queue.push(WorkItem(id=i, enqueued_at=float(i)))
    assert queue.remove(0) is not None and queue.remove(0) is None
    agent = AgentState(id="a")
    assert queue.pop_for(agent, 10.0).id == 1  # type: ignore[union-attr]
    assert 0 not in queue and len(queue) == 3


def test_a_freed_agent_takes_its_sticky_customer_first() -> None:
    queue = WaitingQueue(QueuePolicy(sticky_window_seconds=600.0))
    queue.push(WorkItem(id="first", enqueued_at=0.0))
    queue.push(WorkItem(id="mine", enqueued_at=50.0, last_agent_id="a", last_agent_at=40.0))
    other, mine = AgentState(id="b"), AgentState(id="a")
    assert queue.pop_for(mine, now=100.0).id == "mine"  # type: ignore[union-attr]
    assert queue.pop_for(other, now=100.0).id == "first"  # type: ignore[union-attr]


def test_sticky_preference_ends_with_the_window() -> None:
    queue = WaitingQueue(QueuePolicy(sticky_window_seconds=60.0))
    queue.push(WorkItem(id="first", enqueued_at=0.0))
    queue.push(WorkItem(id="mine", enqueued_at=50.0, last_agent_id="a", last_agent_at=0.0))
    assert queue.pop_for(AgentState(id="a"), now=100.0).id == "first"  # type: ignore[union-attr]
