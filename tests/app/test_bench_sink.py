"""The bench's reply sink answers the server's replies as the providers do, each under its own
id, and counts a run's replies by the customers they went to."""

from __future__ import annotations

import asyncio

import httpx

from omnidesk.app.commands.bench import Clients, reply_figures
from omnidesk.app.commands.bench_sink import reply_sink


async def test_the_sink_accepts_replies_on_one_connection_each_under_a_new_id() -> None:
    started = asyncio.get_running_loop().time()
    async with reply_sink() as sink, httpx.AsyncClient(base_url=sink.url) as client:
        first = await client.post("/omnidesk-bench", json={"message": {
            "recipient": "bench-run1-0", "text": "안녕하세요"}})
        second = await client.post("/v2/bot/message/push", json={"to": "Ubenchrun13",
                                                                   "messages": []})
        other = await client.post("/omnidesk-bench", json={"message": {
            "recipient": "bench-run2-0"}})
        info = await client.get("/v2/bot/info")
    assert {r.status_code for r in (first, second, other, info)} == {200}
    ids = {first.json()["id"], second.json()["sentMessages"][0]["id"], other.json()["id"]}
    assert len(ids) == 3  # the server keeps it as the message's provider id: unique per inbox
    assert info.json()["displayName"] and len(sink.replies) == 3  # a GET is not a reply
    figures = reply_figures(sink, "run1", started)
    assert figures["replies"] == 2 and figures["replies_per_s"] > 0  # API and LINE, not run2


async def test_a_sink_with_a_kept_alive_connection_still_closes() -> None:
    async with reply_sink() as sink, httpx.AsyncClient(base_url=sink.url) as client:
        assert (await client.post("/omnidesk-bench", content=b"{}")).status_code == 200
        assert sink.writers  # the connection is kept for the next request
    assert not sink.writers


async def test_the_bench_clients_take_turns() -> None:
    async with reply_sink() as sink:
        clients = [httpx.AsyncClient(base_url=sink.url) for _ in range(3)]
        try:
            pool = Clients(clients)
            for n in range(6):
                await pool.post("/omnidesk-bench", content=f'{{"n": {n}}}'.encode())
            assert len(sink.writers) == 3  # one kept-alive connection per client
        finally:
            for client in clients:
                await client.aclose()
