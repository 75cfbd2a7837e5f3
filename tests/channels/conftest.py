"""Channel test helpers: raw requests, a provider-like local server, an HTTP client."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from omnidesk.channels.base import RawRequest
from tests.channels.fake_provider import FakeProvider, serve

HERE = Path(__file__).parent
RECEIVED_AT = dt.datetime(2025, 6, 8, 20, 59, 43, tzinfo=dt.UTC)


def fixture_bytes(kind: str, name: str) -> bytes:
    """Read a recorded payload exactly as the provider sent it."""
    return (HERE / kind / "fixtures" / name).read_bytes()


def raw_request(url: str, body: bytes = b"", *, method: str = "POST",
                headers: dict[str, str] | None = None, remote_ip: str = "203.0.113.7",
                received_at: dt.datetime = RECEIVED_AT) -> RawRequest:
    """Build the RawRequest a webhook route would hand an adapter."""
    return RawRequest(method=method, url=url, headers=headers or {},
                      query=dict(parse_qsl(urlsplit(url).query, keep_blank_values=True)),
                      body=body, received_at=received_at, remote_ip=remote_ip)


@pytest.fixture(scope="session")
def provider_server() -> Iterator[FakeProvider]:
    """One provider-like HTTP server for the whole session."""
    provider = FakeProvider()
    for base_url in serve(provider.app):
        provider.base_url = base_url
        yield provider


@pytest.fixture
def provider(provider_server: FakeProvider) -> FakeProvider:
    """The provider-like server, with no requests or scripts left from other tests."""
    provider_server.reset()
    return provider_server


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """The outbound HTTP client adapters get (short timeouts, like production)."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0)) as client:
        yield client
