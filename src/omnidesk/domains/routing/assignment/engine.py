"""Pure routing decisions: who may take what, in which order, and by whom.

Shared by the discrete-event simulator and the database-backed service, so the simulator measures
the real engine. Times are plain float seconds (epoch seconds in the service, simulated seconds in
the simulator); nothing here does I/O or reads a clock.

Ordering: every time-dependent term of an item's score (aging since it was enqueued, lateness
against its SLA due time) grows at the same rate for every item, so the ranking of two waiting items
never changes while they wait. A heap can therefore hold a queue (see ``waiting.py``), and aging
still guarantees that no item starves: once an item has waited longer than the largest static
advantage a newcomer can have, nobody overtakes it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

VOICE = "voice"
PRIORITY_LEVELS: dict[str, int] = {"low": 0, "normal": 1, "high": 2, "urgent": 3}


class Presence(StrEnum):
    """An agent's availability; only online agents receive new work."""

    ONLINE = "online"
    BUSY = "busy"
    AWAY = "away"
    OFFLINE = "offline"


class Strategy(StrEnum):
    """How a queue chooses among several eligible agents."""

    LONGEST_IDLE = "longest_idle"
    LEAST_BUSY = "least_busy"
    ROUND_ROBIN = "round_robin"
    BEST_SKILL = "best_skill"


@dataclass(slots=True)
class AgentState:
    """What routing knows about one agent at one instant."""

    id: Hashable
    presence: Presence = Presence.ONLINE
    languages: frozenset[str] = frozenset()  # empty: no language restriction
    skills: dict[str, int] = field(default_factory=dict)  # skill -> level 1..5
    capacity: dict[str, int] = field(default_factory=lambda: {"chat": 1})
    load: dict[str, int] = field(default_factory=dict)
    idle_since: float = 0.0  # when the agent last finished work or came online
    last_assignment_at: float = float("-inf")
    voice_blocks: frozenset[str] = frozenset({"chat"})  # channels refused while on a call

    def has_room_for(self, channel: str) -> bool:
        """Tell whether one more item on this channel fits the agent's capacity."""
        load = self.load
        if load.get(channel, 0) >= self.capacity.get(channel, 0):
            return False
        return not (load.get(VOICE, 0) and channel in self.voice_blocks)

    def is_full(self) -> bool:
        """Tell whether the agent has room for nothing more: at capacity on every channel (a
        channel with no capacity never has room; a call blocks the channels it blocks)."""
        return not any(self.has_room_for(ch) for ch in self.capacity)

    def utilisation(self) -> float:
        """Return the busiest channel's share of its capacity."""
        return max(
            (n / self.capacity[ch] for ch, n in self.load.items() if self.capacity.get(ch)),
            default=0.0,
        )


@dataclass(slots=True)
class WorkItem:
    """A conversation waiting in a queue, with what routing needs to rank and match it."""

    id: Hashable
    channel: str = "chat"
    language: str | None = None
    skills: dict[str, int] = field(default_factory=dict)  # skill -> minimum level
    priority: int = PRIORITY_LEVELS["normal"]
    vip: bool = False
    sentiment: float = 0.0  # -1 (angry) .. 1 (happy)
    enqueued_at: float = 0.0
    sla_due_at: float | None = None
    last_agent_id: Hashable | None = None  # who last helped this customer (sticky routing)
    last_agent_at: float | None = None

    def requirement(self) -> tuple[Any, ...]:
        """Return what an agent must satisfy; items with equal requirements match equally."""
        return (self.channel, self.language, tuple(sorted(self.skills.items())))


@dataclass(frozen=True, slots=True)
class QueuePolicy:
    """One queue's routing settings; weights are in seconds of waiting they are worth."""

    strategy: Strategy = Strategy.LONGEST_IDLE
    aging_rate: float = 1.0  # score per second waited
    priority_weight: float = 300.0  # per priority level
    vip_boost: float = 600.0
    sentiment_weight: float = 120.0  # per unit of negative sentiment
    sla_weight: float = 1.0  # score per second past (or towards) the SLA due time
    default_target_seconds: float = 3600.0  # due time assumed for items without one
    sticky_window_seconds: float = 0.0  # 0 turns sticky routing off
    overflow_queue_id: Hashable | None = None
    overflow_after_seconds: float | None = None
    offer_timeout_seconds: float = 20.0  # voice offers expire unless accepted

    @property
    def slope(self) -> float:
        """Return how fast every waiting item's score grows per second."""
        return self.aging_rate + self.sla_weight


@dataclass(frozen=True, slots=True)
class Assignment:
    """A routing decision: offer or assign one item to one agent."""

    item_id: Hashable
    agent_id: Hashable
    sticky: bool = False
    offer_expires_at: float | None = None  # set for voice: the agent must accept in time


def priority_key(item: WorkItem, policy: QueuePolicy) -> float:
    """Return the time-independent part of an item's score (higher is served first)."""
    due = item.sla_due_at
    if due is None:
        due = item.enqueued_at + policy.default_target_seconds
    static = item.priority * policy.priority_weight - policy.aging_rate * item.enqueued_at
    static -= policy.sla_weight * due
    if item.vip:
        static += policy.vip_boost
    if item.sentiment < 0:
        static -= item.sentiment * policy.sentiment_weight
    return static


def priority_score(item: WorkItem, policy: QueuePolicy, now: float) -> float:
    """Return an item's score at ``now``: static advantages plus aging and SLA lateness."""
    return priority_key(item, policy) + policy.slope * now


def rank_items(items: Iterable[WorkItem], policy: QueuePolicy) -> list[WorkItem]:
    """Order waiting items most urgent first (ties: the earlier enqueued)."""
    return sorted(items, key=lambda it: (-priority_key(it, policy), it.enqueued_at))


def is_eligible(agent: AgentState, item: WorkItem) -> bool:
    """Tell whether an agent may take an item now: presence, capacity, language and skills."""
    if agent.presence is not Presence.ONLINE or not agent.has_room_for(item.channel):
        return False
    if item.language and agent.languages and item.language not in agent.languages:
        return False
    skills = agent.skills
    return all(skills.get(name, 0) >= level for name, level in item.skills.items())


StrategyKey = Callable[[AgentState], tuple[float, ...]]


def strategy_key(strategy: Strategy, item: WorkItem) -> StrategyKey:
    """Return the sort key (smallest wins) that implements a strategy for one item."""
    if strategy is Strategy.LEAST_BUSY:
        return lambda a: (a.utilisation(), a.idle_since)
    if strategy is Strategy.ROUND_ROBIN:
        return lambda a: (a.last_assignment_at, a.idle_since)
    if strategy is Strategy.BEST_SKILL:
        names = tuple(item.skills)
        return lambda a: (-sum(a.skills.get(n, 0) for n in names), a.idle_since)
    return lambda a: (a.idle_since, a.last_assignment_at)


def sticky_applies(item: WorkItem, policy: QueuePolicy, now: float) -> bool:
    """Tell whether the item should prefer the agent who last helped its customer."""
    if policy.sticky_window_seconds <= 0 or item.last_agent_id is None:
        return False
    last = item.last_agent_at
    return last is not None and now - last <= policy.sticky_window_seconds


def pick_agent(
    item: WorkItem, agents: Iterable[AgentState], policy: QueuePolicy, now: float
) -> AgentState | None:
    """Choose the agent for an item: the sticky agent if eligible, else by the queue's strategy."""
    eligible = [agent for agent in agents if is_eligible(agent, item)]
    if not eligible:
        return None
    if sticky_applies(item, policy, now):
        for agent in eligible:
            if agent.id == item.last_agent_id:
                return agent
    return min(eligible, key=strategy_key(policy.strategy, item))


def take(agent: AgentState, channel: str, now: float) -> None:
    """Record in place that the agent received an item on a channel."""
    agent.load[channel] = agent.load.get(channel, 0) + 1
    agent.last_assignment_at = now


def release(agent: AgentState, channel: str, now: float) -> None:
    """Record in place that the agent finished an item on a channel."""
    left = agent.load.get(channel, 0) - 1
    agent.load[channel] = max(left, 0)
    if not any(agent.load.values()):
        agent.idle_since = now


def make_assignment(
    item: WorkItem, agent: AgentState, policy: QueuePolicy, now: float
) -> Assignment:
    """Build the decision for an item and its chosen agent (an expiring offer for voice)."""
    expires = now + policy.offer_timeout_seconds if item.channel == VOICE else None
    sticky = item.last_agent_id == agent.id and sticky_applies(item, policy, now)
    return Assignment(item.id, agent.id, sticky=sticky, offer_expires_at=expires)


def match(
    items: Sequence[WorkItem], agents: Sequence[AgentState], policy: QueuePolicy, now: float
) -> list[Assignment]:
    """Assign waiting items, most urgent first, as capacity allows; the inputs are not mutated.

    An agent is copied (``_own``) only when first given an item, not all of them up front: a
    decision usually assigns one item among dozens of online agents.
    """
    pool = [a for a in agents if a.presence is Presence.ONLINE]
    owned: set[int] = set()  # id() of the copies made here, which may be changed in place
    unmatched: set[tuple[Any, ...]] = set()  # requirements no agent can meet any more
    decisions: list[Assignment] = []
    for item in rank_items(items, policy):
        if not pool:
            break
        need = item.requirement()
        if need in unmatched:
            continue
        agent = pick_agent(item, pool, policy, now)
        if agent is None:
            unmatched.add(need)  # capacity only shrinks during a match, so this stays true
            continue
        decisions.append(make_assignment(item, agent, policy, now))
        agent = _own(pool, agent, owned)
        take(agent, item.channel, now)
        if agent.is_full():
            pool.remove(agent)
    return decisions


def _own(pool: list[AgentState], agent: AgentState, owned: set[int]) -> AgentState:
    """Return a copy of a pooled agent that ``match`` may change, put in the agent's place."""
    if id(agent) in owned:
        return agent
    copy = replace(agent, load=dict(agent.load))
    pool[next(i for i, pooled in enumerate(pool) if pooled is agent)] = copy
    owned.add(id(copy))
    return copy


def overflow_target(item: WorkItem, policy: QueuePolicy, now: float) -> Hashable | None:
    """Return the queue an item should move to after waiting too long, if any."""
    after = policy.overflow_after_seconds
    if policy.overflow_queue_id is None or after is None:
        return None
    return policy.overflow_queue_id if now - item.enqueued_at >= after else None


def offer_expired(assignment: Assignment, now: float) -> bool:
    """Tell whether an unanswered voice offer has timed out."""
    return assignment.offer_expires_at is not None and now >= assignment.offer_expires_at


def requeue_items(items: Iterable[WorkItem], agent_id: Hashable, now: float) -> list[WorkItem]:
    """Return an offline agent's items ready to wait again, keeping their place (enqueued_at)."""
    return [replace(it, last_agent_id=agent_id, last_agent_at=now) for it in items]
