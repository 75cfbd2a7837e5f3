"""Outgoing webhooks against a local receiver: signed, retried, dead-lettered, replayed, SSRF-safe."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from omnidesk.app.catalogue import load_catalogue
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import SubscriberRegistry
from omnidesk.domains.automation import subscribers
from omnidesk.domains.automation.schemas import AllowedHostCreate, EndpointCreate
from omnidesk.domains.automation.service import list_webhook_deliveries
from omnidesk.domains.automation.webhook_actions import (
    check_allow_host,
    check_create_endpoint,
    check_replay_delivery,
)
from omnidesk.domains.automation.webhooks import refused_reason, verify
from tests.channels.fake_provider import serve
from tests.conftest import Persona
from tests.domains.routing.routing_setup import make_conversation


class Receiver:
    """A webhook receiver that answers the statuses it is told to, then 200."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[int] = []
        self.app = Starlette(routes=[Route("/hook", self.handle, methods=["POST"])])
        self.url = ""

    async def handle(self, request: Request) -> Response:
        self.received.append((dict(request.headers), await request.body()))
        return Response(status_code=self.answers.pop(0) if self.answers else 200)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    for base in serve(found.app):
        found.url = f"{base}/hook"
        yield found


def _dispatcher(session_factory: async_sessionmaker[AsyncSession]) -> Dispatcher:
    registry = SubscriberRegistry()
    subscribers.register(registry, list(load_catalogue().values()))
    return Dispatcher(session_factory, registry,
                      DispatcherConfig(max_attempts=3, backoff_base_seconds=0))


async def _endpoint(session: AsyncSession, owner: Persona, url: str) -> tuple[int, str]:
    endpoint = await check_create_endpoint(session, actor=owner.admin, endpoint_in=EndpointCreate(
        name="CRM", url=url, events=["conversation.created"]))
    await session.commit()
    return endpoint.id, endpoint.secret


async def test_a_webhook_is_signed_retried_after_a_500_dead_lettered_and_replayed(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona,
    receiver: Receiver,
) -> None:
    receiver.received.clear()
    await check_allow_host(session, actor=owner.admin, host_in=AllowedHostCreate(host="127.0.0.1"))
    endpoint_id, secret = await _endpoint(session, owner, receiver.url)
    dispatcher = _dispatcher(session_factory)
    receiver.answers = [500]
    conv_id, _ = await make_conversation(session, owner.admin)
    await session.commit()
    await dispatcher.drain()

    assert len(receiver.received) == 2  # the 500, then the retry
    for headers, body in receiver.received:
        assert verify(secret, headers["x-omnidesk-timestamp"], body,
                      headers["x-omnidesk-signature"])
        assert headers["x-omnidesk-event"] == "conversation.created"
    assert f'"conversation_id":{conv_id}' in receiver.received[0][1].decode()
    [log] = await list_webhook_deliveries(session, workspace_id=owner.workspace_id,
                                          endpoint_id=endpoint_id)
    assert (log.status, log.attempts, log.response_status) == ("delivered", 2, 200)

    receiver.answers = [500, 500, 500]
    await make_conversation(session, owner.admin)
    await session.commit()
    await dispatcher.drain()
    dead = (await list_webhook_deliveries(session, workspace_id=owner.workspace_id,
                                          endpoint_id=endpoint_id))[0]
    assert (dead.status, dead.attempts, dead.response_status) == ("dead", 3, 500)
    assert len(receiver.received) == 5

    await check_replay_delivery(session, actor=owner.admin, endpoint_id=endpoint_id,
                                delivery_id=dead.id)
    await session.commit()
    await dispatcher.drain()
    session.expire_all()
    replayed = (await list_webhook_deliveries(session, workspace_id=owner.workspace_id,
                                              endpoint_id=endpoint_id))[0]
    assert (replayed.status, replayed.attempts) == ("delivered", 4)


async def test_a_private_address_is_refused_unless_an_admin_allows_the_host(
    client: httpx.AsyncClient, session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession], owner: Persona, receiver: Receiver,
) -> None:
    receiver.received.clear()
    bad = await client.post("/api/v1/automation/webhooks", headers=owner.headers, json={
        "name": "x", "url": "ftp://example.com/hook", "events": ["conversation.created"]})
    assert bad.status_code == 422
    endpoint_id, _ = await _endpoint(session, owner, receiver.url)
    await make_conversation(session, owner.admin)
    await session.commit()
    await _dispatcher(session_factory).drain()

    assert receiver.received == []
    [log] = await list_webhook_deliveries(session, workspace_id=owner.workspace_id,
                                          endpoint_id=endpoint_id)
    assert log.status == "dead" and log.attempts == 1
    assert "127.0.0.1 is a loopback address" in (log.error or "")
    assert refused_reason("10.1.2.3") == "10.1.2.3 is a private address"
    assert refused_reason("169.254.169.254") == "169.254.169.254 is a link-local address"
    assert refused_reason("::1") == "::1 is a loopback address"
    assert refused_reason("8.8.8.8") is None
