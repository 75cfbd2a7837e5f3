"""Erlang B/C against the textbook closed forms, and stability for large agent counts."""

from __future__ import annotations

import math

import pytest

from omnidesk.domains.routing.planning.erlang import (
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    predict,
    service_level,
)


def closed_form_erlang_c(agents: int, traffic: float) -> float:
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
    return top / bottom


@pytest.mark.parametrize(("agents", "traffic"), [(1, 0.5), (5, 3.0), (11, 10.0), (30, 25.5)])
def test_erlang_c_matches_the_closed_form(agents: int, traffic: float) -> None:
    assert erlang_c(agents, traffic) == pytest.approx(closed_form_erlang_c(agents, traffic))


def test_single_server_is_mm1() -> None:
    assert erlang_c(1, 0.6) == pytest.approx(0.6)
    assert average_speed_of_answer(1, 0.6, 100.0) == pytest.approx(0.6 * 100 / 0.4)
    assert erlang_b(1, 1.0) == pytest.approx(0.5)


def test_predict_combines_traffic_wait_and_service_level() -> None:
    prediction = predict(28, 360, 240, 20)  # 360 contacts/h at 240 s = 24 erlangs
    wait = closed_form_erlang_c(28, 24.0)
    assert prediction.traffic_erlangs == pytest.approx(24.0)
    assert prediction.probability_of_wait == pytest.approx(wait)
    assert prediction.service_level == pytest.approx(1 - wait * math.exp(-4 * 20 / 240))
    assert prediction.asa_seconds == pytest.approx(wait * 240 / 4)
    assert prediction.occupancy == pytest.approx(24 / 28)


def test_mm1_service_level() -> None:
    assert service_level(1, 0.5, 60.0, 30.0) == pytest.approx(1 - 0.5 * math.exp(-0.5 * 0.5))


def test_it_stays_finite_for_thousands_of_agents() -> None:
    wait = erlang_c(5000, 4950.0)
    assert 0.0 < wait < 1.0
    assert 0.0 < service_level(5000, 4950.0, 300.0, 20.0) < 1.0


def test_overload_means_everybody_waits_forever() -> None:
    assert erlang_c(10, 10.0) == 1.0
    assert service_level(10, 12.0, 300.0, 20.0) == 0.0
    assert math.isinf(average_speed_of_answer(10, 12.0, 300.0))


def test_it_rejects_impossible_inputs() -> None:
    with pytest.raises(ValueError):
        erlang_c(0, 1.0)
    with pytest.raises(ValueError):
        erlang_b(3, -1.0)
