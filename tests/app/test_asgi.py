"""`omnidesk serve` listens at once and loads the application behind it (app/asgi.py)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from omnidesk.app import asgi


def _inner(events: list[str]) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        events.append("startup")
        yield
        events.append("shutdown")

    async def page(request: Any) -> PlainTextResponse:
        return PlainTextResponse("the real app")

    return Starlette(routes=[Route("/page", page), Route("/healthz", page)], lifespan=lifespan)


@contextlib.asynccontextmanager
async def served(monkeypatch: pytest.MonkeyPatch, factory: Any,
                 loaded: threading.Event) -> AsyncIterator[tuple[asgi.DeferredApp, Any]]:
    """Run the deferred app's lifespan around a client; the import waits for ``loaded``."""
    def slow_import(name: str) -> Any:
        loaded.wait(10)
        return SimpleNamespace(create_app=factory)

    monkeypatch.setattr(asgi.importlib, "import_module", slow_import)
    app = asgi.DeferredApp("slow.module:create_app")
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    task = asyncio.create_task(app({"type": "lifespan"}, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    assert (await outbox.get())["type"] == "lifespan.startup.complete"  # before the import
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield app, client
    loaded.set()
    await inbox.put({"type": "lifespan.shutdown"})
    assert (await outbox.get())["type"] == "lifespan.shutdown.complete"
    await task


async def test_it_answers_healthz_while_loading_and_serves_requests_once_loaded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    loaded = threading.Event()
    async with served(monkeypatch, lambda: _inner(events), loaded) as (_, client):
        health = await client.get("/healthz")
        assert health.status_code == 200 and health.json()["ready"] is False
        assert (await client.get("/readyz")).status_code == 503
        waiting = asyncio.create_task(client.get("/page"))  # waits for the app, not refused
        await asyncio.sleep(0.05)
        assert not waiting.done()
        loaded.set()
        answer = await waiting
        assert answer.text == "the real app" and events == ["startup"]
        assert (await client.get("/readyz")).json() == {
            "status": "ok", "version": asgi.__version__, "ready": True}
        assert (await client.get("/healthz")).text == "the real app"  # the app's own
    assert events == ["startup", "shutdown"]


async def test_an_app_that_fails_to_load_is_reported_and_refused_with_retry_after(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> Starlette:
        raise RuntimeError("bad settings")

    loaded = threading.Event()
    loaded.set()
    async with served(monkeypatch, broken, loaded) as (app, client):
        await asyncio.wait_for(app.ready.wait(), 5)
        health = await client.get("/healthz")
        assert health.status_code == 503 and health.json()["status"] == "failed"
        refused = await client.get("/page")
        assert refused.status_code == 503 and refused.headers["Retry-After"] == "2"
        assert refused.json()["message"] == "omnidesk failed to start"


async def test_a_process_that_answers_as_the_bot_is_ready_once_the_bot_is_warm(
        monkeypatch: pytest.MonkeyPatch) -> None:
    warm = threading.Event()

    def bot_app() -> Starlette:
        app = _inner([])

        @contextlib.asynccontextmanager
        async def lifespan(inner: Starlette) -> AsyncIterator[None]:
            inner.state.bot_warm_up = asyncio.create_task(asyncio.to_thread(warm.wait, 10))
            yield

        app.router.lifespan_context = lifespan
        return app

    loaded = threading.Event()
    loaded.set()
    async with served(monkeypatch, bot_app, loaded) as (deferred, client):
        await deferred.ready.wait()
        assert (await client.get("/page")).text == "the real app"  # pages do not wait for it
        warming = await client.get("/readyz")
        assert warming.status_code == 503
        assert warming.json() | {"version": ""} == {
            "status": "warming", "version": "", "ready": True, "bot": "warming"}
        warm.set()
        await deferred.app.state.bot_warm_up  # type: ignore[union-attr]
        ready = await client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["bot"] == "warm"


async def test_the_routes_are_prepared_before_the_app_serves_and_the_analyser_beside_the_import(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """FastAPI prepares a route when a request is first matched against it: one request that
    matches none is sent in-process before the app serves (and /readyz says ready), so the
    first customer does not pay it; the Korean analyser is built in a thread meanwhile."""
    seen: list[str] = []
    built = threading.Event()
    monkeypatch.setattr(asgi, "preload_analyser", built.set)

    def factory() -> Any:
        inner = _inner([])

        async def recording(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                seen.append(scope["path"])
            await inner(scope, receive, send)
        return recording

    loaded = threading.Event()
    async with served(monkeypatch, factory, loaded) as (_, client):
        for _ in range(100):
            if built.is_set():
                break
            await asyncio.sleep(0.05)
        assert built.is_set() and seen == []  # while the app still imports
        loaded.set()
        assert (await client.get("/page")).text == "the real app"
        assert seen == [asgi.WARM_PATH, "/page"]


def test_the_app_is_imported_with_the_collector_paused_and_its_objects_frozen() -> None:
    """The collector ran many times over the objects the import makes (12 % of its CPU); it is
    paused meanwhile and left as it was, and those objects are kept out of later collections."""
    import gc
    import sys

    sys.modules.pop("json.tool", None)
    frozen = gc.get_freeze_count()
    try:
        module = asgi.import_quickly("json.tool")
        assert module.__name__ == "json.tool" and gc.isenabled()
        assert gc.get_freeze_count() > frozen  # the new objects are frozen
        gc.disable()
        asgi.import_quickly("json.tool")
        assert not gc.isenabled()  # a paused collector stays paused
    finally:
        gc.enable()
        gc.unfreeze()
