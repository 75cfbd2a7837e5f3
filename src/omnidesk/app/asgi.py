"""What `omnidesk serve` runs: a server that listens at once and loads the application behind it.

Importing the application (the ORM models of every domain, FastAPI routes, pydantic schemas)
takes seconds, more on a busy machine. Uvicorn binds its socket only after the lifespan startup
returns, so a plain app is unreachable all that time and a supervisor or proxy sees a dead
process. Here the lifespan startup returns at once and the import runs in a thread while the
server listens: ``/healthz`` answers from the first moment (``"ready": false`` until loaded),
``/readyz`` answers 503 until the app has started (and, in a process that answers as the bot,
until the bot's models are warm: ``"status": "warming"``; pages and the API are served by then),
and every other request or WebSocket waits for the app (503 with Retry-After when it does not
come up within ``WAIT_SECONDS``).

The Korean analyser (``preload_analyser``) is built in a second thread beside the import: it is native code
that releases the GIL, so on a machine with two cores it costs the start-up nothing, and the bot's
warm-up (which /readyz waits for) finds it built. The import runs with the garbage collector paused
(``import_quickly``). Before the app serves, one in-process request prepares what FastAPI still
prepares on a first request (``warm_routes``: a router included in a router; the app's own
routes are prepared at import, see ``main.add_routers``).
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from omnidesk import __version__

log = logging.getLogger("omnidesk.app.asgi")
WAIT_SECONDS = 60.0
RETRY_AFTER = "2"
WARM_PATH = "/api/.omnidesk-warm-routes"  # matches no route


class InnerLifespan:
    """Drive the loaded app's lifespan (startup, then shutdown) as a server would."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.inbox: asyncio.Queue[Message] = asyncio.Queue()
        self.outbox: asyncio.Queue[Message] = asyncio.Queue()
        self.task: asyncio.Future[None] | None = None

    async def startup(self) -> None:
        """Run the app's startup; raise when it fails."""
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        self.task = asyncio.ensure_future(self.app(scope, self.inbox.get, self.outbox.put))
        await self.inbox.put({"type": "lifespan.startup"})
        answer = await self.outbox.get()
        if answer["type"] != "lifespan.startup.complete":
            raise RuntimeError(f"the app did not start: {answer.get('message', answer)}")

    async def shutdown(self) -> None:
        """Run the app's shutdown and wait for it."""
        if self.task is None or self.task.done():
            return
        await self.inbox.put({"type": "lifespan.shutdown"})
        await self.outbox.get()
        await self.task


class DeferredApp:
    """Listen first, load ``omnidesk.app.main`` in the background, then serve through it."""

    def __init__(self, factory: str = "omnidesk.app.main:create_app") -> None:
        self.factory = factory
        self.app: ASGIApp | None = None
        self.ready = asyncio.Event()
        self.failed: BaseException | None = None
        self.loading: asyncio.Task[None] | None = None
        self.lifespan: InnerLifespan | None = None

    async def load(self) -> None:
        """Import the app module in a thread, build the app and run its startup."""
        module_name, name = self.factory.split(":")
        try:
            preload = asyncio.create_task(asyncio.to_thread(preload_analyser), name="preload")
            preload.add_done_callback(_log_failure)
            module = await asyncio.to_thread(import_quickly, module_name)
            app = getattr(module, name)()
            self.lifespan = InnerLifespan(app)
            await self.lifespan.startup()
            await warm_routes(app)
            self.app = app
        except Exception as exc:  # reported on /healthz and to every waiting request
            log.exception("omnidesk failed to start")
            self.failed = exc
        finally:
            self.ready.set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http" and scope["path"] in ("/healthz", "/readyz"):
            await self._health(scope, receive, send)
        else:
            if not self.ready.is_set():
                try:
                    await asyncio.wait_for(self.ready.wait(), WAIT_SECONDS)
                except TimeoutError:
                    pass
            if self.app is None:
                await self._unavailable(scope, receive, send)
                return
            await self.app(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.loading = asyncio.create_task(self.load(), name="omnidesk-load")
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.loading is not None:
                    await self.loading
                if self.lifespan is not None:
                    await self.lifespan.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _health(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.app is not None and scope["path"] == "/healthz":
            await self.app(scope, receive, send)  # the app's own answer once it runs
            return
        body: dict[str, Any] = {"status": "failed" if self.failed else "starting",
                                "version": __version__, "ready": self.app is not None}
        status = 200 if scope["path"] == "/healthz" and not self.failed else 503
        if self.app is not None:
            body["status"], status = "ok", 200
            warm_up = getattr(getattr(self.app, "state", None), "bot_warm_up", None)
            if warm_up is not None:  # this process answers as the bot: ready once it is warm
                body["bot"] = ("warming" if not warm_up.done() else
                               "cold" if warm_up.cancelled() or warm_up.exception() else "warm")
                if body["bot"] == "warming":
                    body["status"], status = "warming", 503
        await JSONResponse(body, status_code=status)(scope, receive, send)

    async def _unavailable(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = "omnidesk failed to start" if self.failed else "omnidesk is starting"
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1013, "reason": message})
            return
        await JSONResponse({"error": "unavailable", "message": message}, status_code=503,
                           headers={"Retry-After": RETRY_AFTER})(scope, receive, send)


async def warm_routes(app: ASGIApp) -> None:
    """Send the app one request that matches no route, answered 404 in-process.

    FastAPI prepares the routes of an included router (their dependency graphs, the pydantic
    adapters of their parameters and answers) when a request is first matched against them:
    without this the first customer's request pays it, after /readyz said ready. The app serves
    its routers' routes as made at import (``main.add_routers``), so this is now only a router
    included inside another (0.03 s; it was 1.4-1.7 s of CPU)."""
    scope: dict[str, Any] = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": WARM_PATH, "raw_path": WARM_PATH.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"localhost"), (b"accept", b"application/json")],
        "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 0), "state": {}}

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        return None

    try:
        await app(scope, receive, send)
    except Exception:  # only a warm-up: the first request pays it then
        log.warning("warming the routes failed", exc_info=True)


def import_quickly(module_name: str) -> Any:
    """Import a module with Python's cyclic garbage collector paused, then freeze what it made.

    The import makes a quarter of a million long-lived objects (ORM models, routes, schemas);
    the collector ran many times over them while they were made, about 12 % of the import's CPU
    (3.9 -> 3.4 s on this machine). Frozen (``gc.freeze``), they are left out of later full
    collections, which otherwise walk them all while the process serves. The little garbage the
    import leaves in cycles (about 2,600 objects) is frozen with them."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return importlib.import_module(module_name)
    finally:
        gc.freeze()
        if paused:
            gc.enable()


def preload_analyser() -> None:
    """Build the Korean analyser (omnidesk.core.text) in this thread."""
    from omnidesk.core.text import warm_analyser

    warm_analyser()


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:  # the warm-up will retry it
        log.warning("preloading failed: %s", task.exception())


def create_app() -> DeferredApp:
    """Return the deferred app `omnidesk serve` gives uvicorn (one per process)."""
    return DeferredApp()
