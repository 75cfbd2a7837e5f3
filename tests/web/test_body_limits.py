"""Request bodies are counted while they stream in and refused (413) once over their limit."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from omnidesk.config import Settings
from tests.conftest import Persona

CHUNK = 64 * 1024
HUNDRED_MB = 100 * 1024 * 1024


class Feed:
    """A request body of ``total`` bytes that records how much of it the app pulled."""

    def __init__(self, total: int, *, start: bytes = b'{"text": "') -> None:
        self.total, self.start, self.sent = total, start, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.start
        self.sent = len(self.start)
        while self.sent < self.total:
            yield b"a" * CHUNK
            self.sent += CHUNK

    @property
    def finished(self) -> bool:
        return self.sent >= self.total


def assert_refused(response: httpx.Response, limit: int) -> None:
    assert response.status_code == 413, response.text
    body = response.json()
    assert body["error"] == "too_large"
    assert body["limit_bytes"] == limit
    assert "too large" in body["message"]


async def post_widget_message(client: httpx.AsyncClient, feed: Feed,
                              **headers: str) -> httpx.Response:
    """Post an anonymous widget message whose body is ``feed``."""
    return await client.post("/widget/api/messages", content=feed, headers={
        "Content-Type": "application/json", "X-Widget-Workspace": "acme", **headers})


async def test_a_chunked_widget_post_without_a_length_is_refused_before_it_is_all_read(
        client: httpx.AsyncClient, settings: Settings) -> None:
    feed = Feed(HUNDRED_MB)
    response = await post_widget_message(client, feed)
    assert "content-length" not in response.request.headers  # sent chunked
    assert_refused(response, settings.max_body_bytes)
    assert not feed.finished
    assert feed.sent <= settings.max_body_bytes + 2 * CHUNK


async def test_a_body_that_lies_about_its_length_is_counted_not_trusted(
        client: httpx.AsyncClient, settings: Settings) -> None:
    feed = Feed(HUNDRED_MB)
    response = await post_widget_message(client, feed, **{"Content-Length": "40"})
    assert response.request.headers["content-length"] == "40"
    assert_refused(response, settings.max_body_bytes)
    assert feed.sent <= settings.max_body_bytes + 2 * CHUNK


async def test_a_declared_oversize_body_is_refused_without_reading_a_byte(
        client: httpx.AsyncClient, settings: Settings) -> None:
    feed = Feed(HUNDRED_MB)
    response = await post_widget_message(client, feed, **{"Content-Length": str(HUNDRED_MB)})
    assert_refused(response, settings.max_body_bytes)
    assert feed.sent == 0


async def test_webhooks_refuse_a_chunked_body_over_the_webhook_limit(
        client: httpx.AsyncClient, settings: Settings) -> None:
    feed = Feed(HUNDRED_MB, start=b"{")
    response = await client.post("/channels/whatsapp/acme/webhook", content=feed,
                                 headers={"Content-Type": "application/json"})
    assert_refused(response, settings.max_webhook_body_bytes)
    assert feed.sent <= settings.max_webhook_body_bytes + 2 * CHUNK


async def test_uploads_take_more_than_the_default_limit_up_to_the_upload_setting(
        client: httpx.AsyncClient, owner: Persona, settings: Settings) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * settings.max_body_bytes)
    accepted = await client.post("/api/v1/kb/attachments", headers=owner.headers,
                                 files={"file": ("big.png", png, "image/png")})
    assert accepted.status_code == 201, accepted.text

    huge = b"\x89PNG\r\n\x1a\n" + b"\x00" * (settings.max_upload_bytes + 128 * 1024)
    refused = await client.post("/api/v1/kb/attachments", headers=owner.headers,
                                files={"file": ("huge.png", huge, "image/png")})
    assert_refused(refused, settings.body_limits["upload"])
