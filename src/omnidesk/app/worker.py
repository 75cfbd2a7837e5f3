"""The worker process: runs the outbox dispatcher (and its schedules) outside the web server."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from omnidesk.app.bootstrap import build_runtime
from omnidesk.config import Settings
from omnidesk.domains.bot.service import start_warm_up

log = logging.getLogger("omnidesk.app.worker")


async def run_worker(settings: Settings) -> None:
    """Dispatch events until SIGINT/SIGTERM, then finish the current pass and exit."""
    runtime = build_runtime(settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, runtime.dispatcher.stop)
    await runtime.start()
    warm = start_warm_up(runtime.session_factory)  # the first customer's answer does not wait for the model
    log.info("worker started; subscribers: %s", ", ".join(runtime.registry.subscribers))
    try:
        await runtime.run_dispatcher()
    finally:
        warm.cancel()
        await runtime.stop()
        await runtime.dispose()
