"""Discrete-event contact-center simulation that routes every contact with the real engine.

Poisson arrivals, exponential handle times, optional exponential patience (abandonment) and an
optional skill mix. Every routing decision goes through ``engine.pick_agent`` (a contact arrives)
or ``WaitingQueue.pop_for`` (an agent frees up), the same code the service uses. Arrivals stop at
the horizon; contacts already in the system are then served to completion so each one counts.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field

from omnidesk.domains.routing.assignment.engine import (
    AgentState,
    QueuePolicy,
    Strategy,
    WorkItem,
    pick_agent,
    release,
    take,
)
from omnidesk.domains.routing.planning.erlang import ErlangCPrediction, predict
from omnidesk.domains.routing.queues.waiting import WaitingQueue

ARRIVAL, DEPARTURE, ABANDON = 0, 1, 2
CHANNEL = "chat"


@dataclass(frozen=True, slots=True)
class SimulationConfig:
    """Inputs of one simulation run."""

    agents: int
    arrivals_per_hour: float
    aht_seconds: float
    hours: float
    sla_seconds: float
    seed: int = 0
    patience_seconds: float | None = None  # mean patience; None means nobody abandons
    skills: int = 1  # number of distinct skills contacts ask for (uniformly)
    skills_per_agent: int | None = None  # None: every agent has every skill
    strategy: Strategy = Strategy.LONGEST_IDLE

    def validate(self) -> None:
        """Raise ValueError with a readable message when an input makes no sense."""
        if self.agents < 1:
            raise ValueError("--agents must be at least 1")
        for name in ("arrivals_per_hour", "aht_seconds", "hours", "sla_seconds"):
            if getattr(self, name) < 0:
                raise ValueError(f"--{name.replace('_', '-')} must not be negative")
        if self.aht_seconds == 0 or self.arrivals_per_hour == 0 or self.hours == 0:
            raise ValueError("--aht-seconds, --arrivals-per-hour and --hours must be positive")
        if self.patience_seconds is not None and self.patience_seconds <= 0:
            raise ValueError("--patience-seconds must be positive")
        per_agent = self.skills_per_agent or self.skills
        if self.skills < 1 or not 1 <= per_agent <= self.skills:
            raise ValueError("--skills must be >= 1 and --skills-per-agent between 1 and --skills")
        if self.agents * per_agent < self.skills:
            raise ValueError("not every skill is covered: add agents or skills per agent")


@dataclass(slots=True)
class SimulationResult:
    """Measured figures of a run, next to the Erlang C prediction for the same inputs."""

    conversations: int = 0
    answered: int = 0
    abandoned: int = 0
    answered_within_target: int = 0
    total_wait_seconds: float = 0.0
    busy_seconds: float = 0.0
    max_queue: int = 0
    erlang: ErlangCPrediction | None = field(default=None)
    agents: int = 0
    horizon_seconds: float = 0.0

    @property
    def service_level(self) -> float:
        """Return the share of answered-or-abandoned contacts answered within the target."""
        handled = self.answered + self.abandoned
        return self.answered_within_target / handled if handled else 1.0

    @property
    def asa_seconds(self) -> float:
        """Return the average wait of answered contacts."""
        return self.total_wait_seconds / self.answered if self.answered else 0.0

    @property
    def abandon_rate(self) -> float:
        """Return the share of contacts that hung up before being answered."""
        return self.abandoned / self.conversations if self.conversations else 0.0

    @property
    def occupancy(self) -> float:
        """Return the share of agent time spent handling contacts before the horizon."""
        return self.busy_seconds / (self.agents * self.horizon_seconds)


def build_agents(config: SimulationConfig) -> list[AgentState]:
    """Create the simulated agents, spreading skills round the skill set."""
    per_agent = config.skills_per_agent or config.skills
    return [
        AgentState(
            id=i,
            skills={f"s{(i + j) % config.skills}": 3 for j in range(per_agent)},
            capacity={CHANNEL: 1},
        )
        for i in range(config.agents)
    ]


class _Run:
    """State of one run; methods are the event handlers."""

    def __init__(self, config: SimulationConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.policy = QueuePolicy(strategy=config.strategy)
        self.horizon = config.hours * 3600.0
        self.free = {agent.id: agent for agent in build_agents(config)}
        self.waiting = WaitingQueue(self.policy)
        self.events: list[tuple[float, int, int, object]] = []
        self.seq = 0
        self.result = SimulationResult(agents=config.agents, horizon_seconds=self.horizon)

    def schedule(self, when: float, kind: int, payload: object) -> None:
        self.seq += 1
        heapq.heappush(self.events, (when, self.seq, kind, payload))

    def run(self) -> SimulationResult:
        rate = self.config.arrivals_per_hour / 3600.0
        self.schedule(self.rng.expovariate(rate), ARRIVAL, None)
        events, handlers = self.events, (self.on_arrival, self.on_departure, self.on_abandon)
        while events:
            now, _, kind, payload = heapq.heappop(events)
            handlers[kind](now, payload)
        return self.result

    def on_arrival(self, now: float, _payload: object) -> None:
        config, result = self.config, self.result
        result.conversations += 1
        skills = {f"s{self.rng.randrange(config.skills)}": 1} if config.skills > 1 else {}
        item = WorkItem(id=result.conversations, channel=CHANNEL, skills=skills, enqueued_at=now)
        agent = pick_agent(item, self.free.values(), self.policy, now)
        if agent is not None:
            self.start(agent, item, now)
        else:
            self.waiting.push(item)
            result.max_queue = max(result.max_queue, len(self.waiting))
            if config.patience_seconds is not None:
                patience = self.rng.expovariate(1.0 / config.patience_seconds)
                self.schedule(now + patience, ABANDON, item.id)
        next_at = now + self.rng.expovariate(config.arrivals_per_hour / 3600.0)
        if next_at < self.horizon:
            self.schedule(next_at, ARRIVAL, None)

    def on_departure(self, now: float, agent: object) -> None:
        assert isinstance(agent, AgentState)
        release(agent, CHANNEL, now)
        item = self.waiting.pop_for(agent, now)
        if item is not None:
            self.start(agent, item, now)
        else:
            self.free[agent.id] = agent

    def on_abandon(self, _now: float, item_id: object) -> None:
        if self.waiting.remove(item_id) is not None:
            self.result.abandoned += 1

    def start(self, agent: AgentState, item: WorkItem, now: float) -> None:
        """Begin handling an item: update load, record the wait, schedule the end."""
        take(agent, CHANNEL, now)
        if not agent.has_room_for(CHANNEL):
            self.free.pop(agent.id, None)
        result, wait = self.result, now - item.enqueued_at
        result.answered += 1
        result.total_wait_seconds += wait
        if wait <= self.config.sla_seconds:
            result.answered_within_target += 1
        end = now + self.rng.expovariate(1.0 / self.config.aht_seconds)
        result.busy_seconds += max(0.0, min(end, self.horizon) - min(now, self.horizon))
        self.schedule(end, DEPARTURE, agent)


def simulate(config: SimulationConfig) -> SimulationResult:
    """Run one seeded, deterministic simulation and attach the Erlang C prediction."""
    config.validate()
    result = _Run(config).run()
    result.erlang = predict(
        config.agents, config.arrivals_per_hour, config.aht_seconds, config.sla_seconds
    )
    return result
