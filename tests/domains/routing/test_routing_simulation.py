"""The simulator runs the real engine and agrees with Erlang C where Erlang C applies.

Statistical tolerance: each load runs R = 8 independent replications (different seeds) of 12,500
contacts and compares their mean with Erlang C. Waits of successive contacts are correlated, so the
spread of a single run is much wider than a binomial estimate suggests; independent replications
give an honest standard error SE = stdev / sqrt(R). We allow 4 SE (two-sided p < 0.01 even with
the t distribution's 7 degrees of freedom) plus 0.005 for the bias of starting with an empty
system. Measured over 20 seeds at 40k contacts, the run-to-run spread of service level was 0.010,
0.015 and 0.019 at utilisation 0.7, 0.8 and 0.9, with means within 0.004 of Erlang C.
"""

from __future__ import annotations

import statistics
import time

import pytest

from omnidesk.domains.routing.assignment.engine import Strategy
from omnidesk.domains.routing.planning.erlang import predict
from omnidesk.domains.routing.planning.simulation import SimulationConfig, simulate

AGENTS, AHT, TARGET = 10, 300.0, 30.0
REPLICATIONS, CONTACTS = 8, 12_500


def config_for(utilisation: float, contacts: int, seed: int, **kwargs: object) -> SimulationConfig:
    rate = utilisation * AGENTS * 3600.0 / AHT
    return SimulationConfig(
        agents=AGENTS,
        arrivals_per_hour=rate,
        aht_seconds=AHT,
        hours=contacts / rate,
        sla_seconds=TARGET,
        seed=seed,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("utilisation", [0.7, 0.8, 0.9])
def test_service_level_agrees_with_erlang_c(utilisation: float) -> None:
    runs = [simulate(config_for(utilisation, CONTACTS, seed)) for seed in range(REPLICATIONS)]
    expected = runs[0].erlang
    assert expected is not None
    levels = [run.service_level for run in runs]
    error = statistics.stdev(levels) / REPLICATIONS**0.5
    assert abs(statistics.mean(levels) - expected.service_level) <= 4 * error + 0.005
    waits = [run.asa_seconds for run in runs]
    wait_error = statistics.stdev(waits) / REPLICATIONS**0.5
    assert abs(statistics.mean(waits) - expected.asa_seconds) <= 4 * wait_error + 1.0
    occupancy = statistics.mean(run.occupancy for run in runs)
    assert occupancy == pytest.approx(utilisation, abs=0.02)


def test_split_skills_behave_as_two_independent_pools() -> None:
    runs = [
        simulate(config_for(0.8, CONTACTS, seed, skills=2, skills_per_agent=1))
        for seed in range(REPLICATIONS)
    ]
    half_rate = 0.8 * AGENTS * 3600.0 / AHT / 2
    pool = predict(AGENTS // 2, half_rate, AHT, TARGET)
    levels = [run.service_level for run in runs]
    error = statistics.stdev(levels) / REPLICATIONS**0.5
    assert abs(statistics.mean(levels) - pool.service_level) <= 4 * error + 0.005


def test_same_seed_same_figures_other_seed_other_figures() -> None:
    first, again = (simulate(config_for(0.8, 2000, seed=3)) for _ in range(2))
    other = simulate(config_for(0.8, 2000, seed=4))
    assert (first.service_level, first.asa_seconds) == (again.service_level, again.asa_seconds)
    assert first.asa_seconds != other.asa_seconds


def test_strategy_does_not_change_waits_among_identical_agents() -> None:
    results = {
        strategy: simulate(config_for(0.85, 3000, seed=1, strategy=strategy)).asa_seconds
        for strategy in Strategy
    }
    assert len(set(results.values())) == 1


def test_impatient_customers_abandon_and_shorten_the_wait() -> None:
    patient = simulate(config_for(0.95, 8000, seed=2))
    impatient = simulate(config_for(0.95, 8000, seed=2, patience_seconds=60.0))
    assert patient.abandon_rate == 0.0
    assert 0.0 < impatient.abandon_rate < 0.5
    assert impatient.asa_seconds < patient.asa_seconds
    assert impatient.answered + impatient.abandoned == impatient.conversations


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"agents": 0}, "--agents"),
        ({"arrivals_per_hour": -1.0}, "--arrivals-per-hour"),
        ({"aht_seconds": -5.0}, "--aht-seconds"),
        ({"skills": 3, "skills_per_agent": 4}, "--skills"),
    ],
)
def test_it_rejects_bad_inputs(changes: dict[str, object], message: str) -> None:
    fields = {"agents": 2, "arrivals_per_hour": 10.0, "aht_seconds": 60.0, "hours": 1.0}
    fields.update(changes)
    with pytest.raises(ValueError, match=message):
        simulate(SimulationConfig(sla_seconds=20.0, **fields))  # type: ignore[arg-type]


def test_time_for_100k_conversations_is_reported() -> None:
    started = time.perf_counter()
    result = simulate(config_for(0.85, 100_000, seed=11))
    elapsed = time.perf_counter() - started
    print(f"\n100k-conversation simulation: {result.conversations} contacts in {elapsed:.2f} s")
    assert result.conversations > 95_000
