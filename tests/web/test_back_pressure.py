"""Back-pressure: a saturated process answers 503 with Retry-After at once, never a 500 after a
long wait, and the retry the caller then makes stores the message exactly once."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from omnidesk.app.main import create_app
from omnidesk.config import Settings
from omnidesk.core.db import utcnow
from omnidesk.core.events import EventDelivery, OutboxEvent
from omnidesk.domains.conversations.models import InboundEvent, Message
from tests.channels.conftest import fixture_bytes
from tests.channels.test_webhooks_and_jobs import HOOK, connect, count, signed
from tests.conftest import Persona
from tests.web.widget_helpers import start_session, widget_headers


def _settings(db_url: str, tmp_path: Path, **overrides: object) -> Settings:
    return Settings(database_url=db_url, secret_key="test-secret", run_dispatcher=False,
                    upload_dir=tmp_path / "uploads", **overrides)


async def _client(settings: Settings) -> httpx.AsyncClient:
    app = create_app(settings)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                               base_url="http://testserver")
    client.app = app  # type: ignore[attr-defined]
    return client


async def _stored(session: AsyncSession, text: str) -> int:
    session.expire_all()
    return int(await session.scalar(select(func.count()).select_from(Message)
                                    .where(Message.text == text)) or 0)


def assert_busy(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) >= 1
    assert response.json()["error"] == "busy"
    assert "retry" in response.json()["message"]


class HeldBody:
    """A request body that stays in flight until released (the request holds its admission)."""

    def __init__(self, payload: dict[str, str]) -> None:
        self.payload, self.started, self.release = payload, asyncio.Event(), asyncio.Event()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.started.set()
        await self.release.wait()
        yield json.dumps(self.payload).encode()


async def test_beyond_the_in_flight_limit_a_request_is_refused_at_once_and_its_retry_is_stored_once(
    db_url: str, tmp_path: Path, engine: AsyncEngine, session: AsyncSession, owner: Persona
) -> None:
    client = await _client(_settings(db_url, tmp_path, max_inflight_requests=1))
    async with client:
        visitor = await start_session(client, owner.slug)
        headers = {**widget_headers(owner.slug, visitor["token"]),
                   "Content-Type": "application/json"}
        held = HeldBody({"text": "첫 번째 문의", "client_message_id": "held-0001"})
        first = asyncio.create_task(client.post("/widget/api/messages", headers=headers,
                                                content=held))
        await held.started.wait()  # the first request is admitted and reading its body

        message = {"text": "두 번째 문의", "client_message_id": "second-01"}
        refused = await client.post("/widget/api/messages", headers=headers, json=message)
        assert_busy(refused)
        assert (await client.get("/healthz")).status_code == 200  # liveness is never refused
        assert await _stored(session, "두 번째 문의") == 0

        held.release.set()
        assert (await first).status_code == 201
        retried = await client.post("/widget/api/messages", headers=headers, json=message)
        assert retried.status_code == 201, retried.text
        again = await client.post("/widget/api/messages", headers=headers, json=message)
        assert again.json()["id"] == retried.json()["id"]  # a second retry is the same message
    assert await _stored(session, "첫 번째 문의") == 1
    assert await _stored(session, "두 번째 문의") == 1


async def test_an_exhausted_connection_pool_is_a_503_with_retry_after_not_a_500(
    db_url: str, tmp_path: Path, engine: AsyncEngine, session: AsyncSession, owner: Persona
) -> None:
    client = await _client(_settings(db_url, tmp_path, db_pool_size=1, db_max_overflow=0,
                                     db_pool_timeout=0.2))
    async with client:
        visitor = await start_session(client, owner.slug)
        headers = widget_headers(owner.slug, visitor["token"])
        message = {"text": "연결이 모자랄 때", "client_message_id": "pooled-01"}
        app_engine: AsyncEngine = client.app.state.engine  # type: ignore[attr-defined]
        async with app_engine.connect() as hog:  # the pool's only connection is taken
            await hog.execute(select(1))
            refused = await client.post("/widget/api/messages", headers=headers, json=message)
        assert_busy(refused)
        assert await _stored(session, "연결이 모자랄 때") == 0
        retried = await client.post("/widget/api/messages", headers=headers, json=message)
        assert retried.status_code == 201, retried.text
        again = await client.post("/widget/api/messages", headers=headers, json=message)
        assert again.json()["id"] == retried.json()["id"]
        await app_engine.dispose()
    assert await _stored(session, "연결이 모자랄 때") == 1


def test_the_in_flight_limit_must_admit_at_least_one_request() -> None:
    with pytest.raises(ValueError, match="greater than 0"):
        Settings(max_inflight_requests=0)


async def test_a_saturated_intake_refuses_the_next_inbound_message_but_not_other_requests(
    db_url: str, tmp_path: Path, engine: AsyncEngine, session: AsyncSession, owner: Persona
) -> None:
    client = await _client(_settings(db_url, tmp_path, max_inflight_intake=1))
    async with client:
        visitor = await start_session(client, owner.slug)
        headers = widget_headers(owner.slug, visitor["token"])
        gate = client.app.state.intake_gate  # type: ignore[attr-defined]
        message = {"text": "밀려난 문의", "client_message_id": "pushed-01"}
        async with gate.admit():  # another inbound message holds the one intake slot
            refused = await client.post("/widget/api/messages", headers=headers, json=message)
            assert_busy(refused)
            # reading is not intake: the visitor's history still loads while intake is full
            assert (await client.get("/widget/api/messages",
                                     headers=headers)).status_code == 200
        retried = await client.post("/widget/api/messages", headers=headers, json=message)
        assert retried.status_code == 201, retried.text
        assert gate.refused["in_flight"] == 1
    assert await _stored(session, "밀려난 문의") == 1


async def test_a_webhook_refused_while_saturated_is_stored_once_when_the_provider_retries(
    db_url: str, tmp_path: Path, engine: AsyncEngine, session: AsyncSession, owner: Persona
) -> None:
    await connect(session, owner, "https://graph.invalid")
    body = fixture_bytes("whatsapp", "text_message.json")
    client = await _client(_settings(db_url, tmp_path, max_inflight_intake=1))
    async with client:
        async with client.app.state.intake_gate.admit():  # type: ignore[attr-defined]
            refused = await client.post(HOOK, content=body, headers=signed(body))
            assert_busy(refused)
            assert await count(session, InboundEvent) == 0
        for _ in range(2):  # the provider's retry, and a duplicate of it
            answer = await client.post(HOOK, content=body, headers=signed(body))
            assert answer.status_code == 200, answer.text
    assert await count(session, InboundEvent) == 1


async def _first_message(client: httpx.AsyncClient, owner: Persona) -> dict[str, str]:
    """A visitor's first message, stored; return the visitor's widget headers."""
    visitor = await start_session(client, owner.slug)
    headers = widget_headers(owner.slug, visitor["token"])
    first = {"text": "먼저 온 문의", "client_message_id": "first-0001"}
    assert (await client.post("/widget/api/messages", headers=headers,
                              json=first)).status_code == 201
    return headers


async def test_inbound_messages_are_refused_while_the_outbox_lags_behind(
    db_url: str, tmp_path: Path, engine: AsyncEngine, session: AsyncSession, owner: Persona
) -> None:
    # nothing dispatches in this test, so the first message's events stay due and age
    client = await _client(_settings(db_url, tmp_path, intake_max_outbox_lag_seconds=0.05))
    async with client:
        headers = await _first_message(client, owner)
        gate = client.app.state.intake_gate  # type: ignore[attr-defined]
        await asyncio.sleep(0.1)
        await gate.read_outbox_lag()  # now, rather than at the next request a second later
        refused = await client.post("/widget/api/messages", headers=headers,
                                    json={"text": "늦은 문의", "client_message_id": "lag-0002"})
        assert_busy(refused)
        assert refused.headers["Retry-After"] == "5"
        assert gate.outbox_lag > 0.05
    assert await _stored(session, "늦은 문의") == 0


async def test_a_delivery_retrying_a_failing_provider_does_not_refuse_customers(
    db_url: str, tmp_path: Path, engine: AsyncEngine, session: AsyncSession, owner: Persona
) -> None:
    client = await _client(_settings(db_url, tmp_path, intake_max_outbox_lag_seconds=0.05))
    async with client:
        headers = await _first_message(client, owner)
        # Its events were fanned out and tried once; what is left waits to try again (say the
        # provider of a reply is down), past its time.
        await session.execute(update(OutboxEvent).values(fanned_out=True))
        session.add(EventDelivery(
            event_id=await session.scalar(select(func.min(OutboxEvent.id))),
            workspace_id=owner.workspace_id, subscriber="channels.deliver_message",
            status="pending", attempts=2, next_attempt_at=utcnow() - dt.timedelta(minutes=5)))
        await session.commit()
        gate = client.app.state.intake_gate  # type: ignore[attr-defined]
        await gate.read_outbox_lag()
        assert gate.outbox_lag < 0.05
        taken = await client.post("/widget/api/messages", headers=headers,
                                  json={"text": "다음 문의", "client_message_id": "retry-0002"})
        assert taken.status_code == 201, taken.text


async def test_inbound_messages_are_refused_while_the_screens_work_piles_up(
    db_url: str, tmp_path: Path, session: AsyncSession, owner: Persona
) -> None:
    # a process that runs the dispatcher (no lifespan here, so none actually runs): the first
    # message's events wait to be fanned out to the screens
    client = await _client(Settings(database_url=db_url, secret_key="test-secret",
                                    upload_dir=tmp_path / "uploads", intake_max_live_backlog=1))
    async with client:
        headers = await _first_message(client, owner)
        gate = client.app.state.intake_gate  # type: ignore[attr-defined]
        await gate.read_outbox_lag()
        assert gate.live_backlog > 1 and gate.outbox_lag < 60  # counted, long before it ages
        refused = await client.post("/widget/api/messages", headers=headers,
                                    json={"text": "밀린 문의", "client_message_id": "pile-0002"})
        assert_busy(refused)
        assert refused.headers["Retry-After"] == "1" and gate.refused["live_backlog"] == 1
        # the live lane works it off: the next message is taken
        await session.execute(update(OutboxEvent).values(fanned_out=True))
        await session.commit()
        await gate.read_outbox_lag()
        assert gate.live_backlog == 0
        taken = await client.post("/widget/api/messages", headers=headers,
                                  json={"text": "밀린 문의", "client_message_id": "pile-0002"})
        assert taken.status_code == 201, taken.text
    assert await _stored(session, "밀린 문의") == 1


async def test_the_live_backlog_counts_the_screens_work_not_the_bot_or_retries(
    session: AsyncSession, owner: Persona
) -> None:
    from omnidesk.core.outbox import live_backlog

    live = {"realtime.fanout", "channels.process_inbound_event", "realtime.message_changes",
            "realtime.conversations"}
    before = await live_backlog(session, live)  # the persona's own events, not fanned out
    event = OutboxEvent(name="message.created", payload={}, fanned_out=True,
                        workspace_id=owner.workspace_id)
    session.add(event)
    await session.flush()
    due = utcnow() - dt.timedelta(seconds=1)
    for subscriber, attempts, at in (
            ("realtime.fanout", 0, due),  # counts: a screen waits
            ("channels.process_inbound_event", 0, due),  # counts: a message to be made
            ("bot.answer", 0, due),  # the main lane's
            ("realtime.message_changes", 2, due),  # a retry
            ("realtime.conversations", 0, utcnow() + dt.timedelta(minutes=5))):  # not due
        session.add(EventDelivery(event_id=event.id, workspace_id=owner.workspace_id,
                                  subscriber=subscriber, status="pending", attempts=attempts,
                                  next_attempt_at=at))
    session.add(OutboxEvent(name="message.created", payload={}, fanned_out=False,
                            workspace_id=owner.workspace_id))  # counts: not fanned out yet
    await session.commit()
    assert await live_backlog(session, live) == before + 3
    assert await live_backlog(session, live, cap=2) == 2
    assert await live_backlog(session, set()) == before + 1  # no live lane: the events alone


async def test_a_web_process_beside_workers_does_not_refuse_for_their_backlog(
    db_url: str, tmp_path: Path, session: AsyncSession, owner: Persona
) -> None:
    client = await _client(_settings(db_url, tmp_path, intake_max_live_backlog=1))
    async with client:
        headers = await _first_message(client, owner)
        gate = client.app.state.intake_gate  # type: ignore[attr-defined]
        await gate.read_outbox_lag()
        assert gate.live_backlog == 0 and gate.max_live_backlog is None  # not read here
        taken = await client.post("/widget/api/messages", headers=headers,
                                  json={"text": "워커 뒤 문의", "client_message_id": "pile-0003"})
        assert taken.status_code == 201, taken.text
