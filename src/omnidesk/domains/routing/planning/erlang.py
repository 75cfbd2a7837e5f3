"""Erlang B and C formulas for staffing predictions, stable for thousands of agents."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ErlangCPrediction:
    """What Erlang C predicts for a queue served by identical agents (no abandonment)."""

    traffic_erlangs: float
    agents: int
    probability_of_wait: float
    service_level: float
    asa_seconds: float  # infinite when the offered traffic is at or above the agent count
    occupancy: float


def erlang_b(agents: int, traffic: float) -> float:
    """Return the blocking probability with the recursion B(k) = A·B(k-1) / (k + A·B(k-1))."""
    _check(agents, traffic)
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return blocking


def erlang_c(agents: int, traffic: float) -> float:
    """Return the probability that an arriving contact has to wait."""
    _check(agents, traffic)
    if traffic >= agents:
        return 1.0
    blocking = erlang_b(agents, traffic)
    return agents * blocking / (agents - traffic * (1.0 - blocking))


def service_level(agents: int, traffic: float, aht_seconds: float, target_seconds: float) -> float:
    """Return the share of contacts answered within the target time."""
    if traffic >= agents:
        return 0.0
    wait = erlang_c(agents, traffic)
    return 1.0 - wait * math.exp(-(agents - traffic) * target_seconds / aht_seconds)


def average_speed_of_answer(agents: int, traffic: float, aht_seconds: float) -> float:
    """Return the mean wait over all contacts, in seconds."""
    if traffic >= agents:
        return math.inf
    return erlang_c(agents, traffic) * aht_seconds / (agents - traffic)


def predict(
    agents: int, arrivals_per_hour: float, aht_seconds: float, target_seconds: float
) -> ErlangCPrediction:
    """Predict wait probability, service level, ASA and occupancy for the given inputs."""
    traffic = arrivals_per_hour * aht_seconds / 3600.0
    return ErlangCPrediction(
        traffic_erlangs=traffic,
        agents=agents,
        probability_of_wait=erlang_c(agents, traffic),
        service_level=service_level(agents, traffic, aht_seconds, target_seconds),
        asa_seconds=average_speed_of_answer(agents, traffic, aht_seconds),
        occupancy=min(traffic / agents, 1.0),
    )


def _check(agents: int, traffic: float) -> None:
    """Reject inputs the formulas are not defined for."""
    if agents < 1:
        raise ValueError("agents must be at least 1")
    if traffic < 0 or math.isnan(traffic):
        raise ValueError("traffic must be a non-negative number of erlangs")
