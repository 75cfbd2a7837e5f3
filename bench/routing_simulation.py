"""Benchmark: simulated service level and ASA against Erlang C, and simulator throughput.

Run: .venv/bin/python bench/routing_simulation.py
"""

from __future__ import annotations

import statistics
import time

from omnidesk.domains.routing.planning.simulation import SimulationConfig, simulate

AGENTS, AHT, TARGET, CONTACTS, SEEDS = 10, 300.0, 30.0, 40_000, 5


def compare(utilisation: float) -> None:
    """Print mean simulated figures over several seeds next to Erlang C."""
    rate = utilisation * AGENTS * 3600.0 / AHT
    runs = [
        simulate(SimulationConfig(AGENTS, rate, AHT, CONTACTS / rate, TARGET, seed=seed))
        for seed in range(SEEDS)
    ]
    erlang = runs[0].erlang
    assert erlang is not None
    level = statistics.mean(r.service_level for r in runs)
    spread = statistics.stdev(r.service_level for r in runs)
    asa = statistics.mean(r.asa_seconds for r in runs)
    print(
        f"rho={utilisation:.2f}  SL sim {level:.4f} ±{spread:.4f}"
        f"  erlang {erlang.service_level:.4f}"
        f"   ASA sim {asa:7.2f}  erlang {erlang.asa_seconds:7.2f}"
    )


def throughput() -> None:
    """Print the wall time of a 100k-contact run."""
    rate = 0.85 * AGENTS * 3600.0 / AHT
    started = time.perf_counter()
    result = simulate(SimulationConfig(AGENTS, rate, AHT, 100_000 / rate, TARGET, seed=1))
    elapsed = time.perf_counter() - started
    print(
        f"{result.conversations} contacts in {elapsed:.2f} s"
        f" ({result.conversations / elapsed:,.0f}/s)"
    )


if __name__ == "__main__":
    for load in (0.7, 0.8, 0.9, 0.95):
        compare(load)
    throughput()
