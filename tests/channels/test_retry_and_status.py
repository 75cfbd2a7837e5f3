"""Retry classification, Retry-After parsing, backoff, and furthest-status ordering."""

from __future__ import annotations

import datetime as dt
import random

import httpx
import pytest

from omnidesk.channels.base import ChannelError
from omnidesk.channels.retry import (
    backoff_seconds,
    error_from_response,
    is_transient_status,
    parse_retry_after,
    request,
)
from omnidesk.domains.conversations.delivery_actions import furthest_delivery_status
from tests.channels.fake_provider import free_port

NOW = dt.datetime(2026, 11, 23, 9, 0, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504, 599])
def test_only_timeouts_throttling_and_server_errors_are_transient(status: int) -> None:
    assert is_transient_status(status)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 410, 413, 422])
def test_other_client_errors_are_permanent(status: int) -> None:
    assert not is_transient_status(status)
    assert error_from_response(httpx.Response(status)).permanent


def test_it_reads_retry_after_in_seconds_and_as_an_http_date() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Mon, 23 Nov 2026 09:00:30 GMT", now=NOW) == 30.0
    assert parse_retry_after("Mon, 23 Nov 2026 08:00:00 GMT", now=NOW) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("999999") == 3600.0


def test_a_429_carries_its_retry_after() -> None:
    error = error_from_response(httpx.Response(429, headers={"Retry-After": "12"}))
    assert not error.permanent and error.retry_after == 12.0 and error.status_code == 429


def test_backoff_grows_is_capped_jittered_and_never_undercuts_retry_after() -> None:
    rng = random.Random(4)
    delays = [backoff_seconds(n, base=2, cap=60, rng=rng) for n in range(1, 10)]
    assert 1 <= delays[0] <= 2 and all(d <= 60 for d in delays) and delays[8] >= 30
    assert backoff_seconds(1, base=2, cap=60, retry_after=45, rng=rng) == 45


async def test_a_refused_connection_is_a_transient_error() -> None:
    async with httpx.AsyncClient(timeout=1) as client:
        with pytest.raises(ChannelError) as caught:
            await request(client, "POST", f"http://127.0.0.1:{free_port()}/x", what="probe")
    assert not caught.value.permanent
    assert "127.0.0.1" not in str(caught.value)


@pytest.mark.parametrize(("order", "final"), [
    (["sent", "delivered", "read"], "read"),
    (["read", "delivered", "sent"], "read"),
    (["delivered", "sent"], "delivered"),
    (["sent", "failed"], "failed"),
    (["read", "failed"], "read"),
    (["failed", "delivered"], "delivered"),
    (["failed", "sent"], "failed"),
])
def test_the_furthest_status_wins_whatever_order_callbacks_arrive_in(
        order: list[str], final: str) -> None:
    current = "pending"
    for status in order:
        current = furthest_delivery_status(current, status)
    assert current == final
