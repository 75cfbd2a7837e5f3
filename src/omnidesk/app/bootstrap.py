"""Build the process runtime shared by the web server and the worker.

Both need the same engine, session factory, dispatcher and realtime hub, wired the same way:
sessions wake the dispatcher after commits that wrote events and carry the hub so the realtime
fan-out subscriber can reach screens (through Redis when several processes run).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from omnidesk.app.subscribers import build_registry
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.email.adapter import EmailAdapter
from omnidesk.channels.email.receiving import start_smtp_receiver
from omnidesk.config import Settings
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.core.dispatcher import DEFAULT_CONCURRENCY, Dispatcher, DispatcherConfig
from omnidesk.core.events import SubscriberRegistry, install_commit_wakeup
from omnidesk.core.wakeup import OutboxListener, track_backends
from omnidesk.realtime.broker import build_broker
from omnidesk.realtime.hub import Hub


@dataclass
class Runtime:
    """The long-lived objects of one omnidesk process."""

    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    registry: SubscriberRegistry
    dispatcher: Dispatcher
    realtime: Hub
    settings: Settings | None = None
    redis: Any | None = None  # shared counts (rate limits, presence) when several processes run
    smtp_server: asyncio.Server | None = field(default=None, repr=False)
    listener: OutboxListener | None = None  # other processes' new events wake the dispatcher
    dispatch_engine: AsyncEngine | None = None  # the dispatcher's own pool (PostgreSQL)

    async def dispose(self) -> None:
        """Close the pools' connections (the requests' and the dispatcher's)."""
        await self.engine.dispose()
        if self.dispatch_engine is not None and self.dispatch_engine is not self.engine:
            await self.dispatch_engine.dispose()

    async def run_dispatcher(self) -> None:
        """Run the dispatcher until it is stopped, listening (PostgreSQL) for the events other
        processes store, so it starts on them at once rather than at its next poll."""
        if self.listener is not None:
            self.listener.start()
        try:
            await self.dispatcher.run_forever()
        finally:
            if self.listener is not None:
                await self.listener.stop()

    async def start(self) -> None:
        """Start the realtime hub and, when its port is set, the SMTP receiver."""
        await self.realtime.start()
        port = self.settings.smtp_receiver_port if self.settings else None
        if self.settings is not None and port:
            self.smtp_server = await start_smtp_receiver(
                self.session_factory, adapter=EmailAdapter(),
                cipher=SettingsCipher(self.settings.effective_secret_key),
                host=self.settings.smtp_receiver_host, port=port,
                domains=self.settings.inbound_mail_domains)

    async def stop(self) -> None:
        """Stop accepting mail, then stop the realtime hub."""
        if self.smtp_server is not None:
            self.smtp_server.close()
            await self.smtp_server.wait_closed()
            self.smtp_server = None
        await self.realtime.stop()
        if self.redis is not None:
            await self.redis.aclose()


def build_runtime(settings: Settings, registry: SubscriberRegistry | None = None) -> Runtime:
    """Create the engine, sessions, dispatcher and realtime hub for this process."""
    install_commit_wakeup()
    engine = create_engine(settings.database_url, pool_size=settings.db_pool_size,
                           max_overflow=settings.db_max_overflow,
                           pool_timeout=settings.db_pool_timeout)
    session_factory = create_session_factory(engine)
    registry = registry or build_registry(settings)
    sqlite = engine.dialect.name == "sqlite"
    concurrency = settings.dispatcher_concurrency or (1 if sqlite else DEFAULT_CONCURRENCY)
    # The dispatcher's own pool (not on SQLite: one file, one writer): requests never wait for
    # a connection behind the bot's turns, nor the screens' pushes behind a flood of requests,
    # and the intake gate's pool check counts requests only. Lazy: a web process that does not
    # dispatch never opens it. Two lanes of `concurrency` deliveries, each lane's fan-out and
    # claims, and the schedules.
    dispatch_engine = engine if sqlite else create_engine(
        settings.database_url, pool_size=2 * concurrency + 3, max_overflow=concurrency)
    dispatch_factory = (session_factory if dispatch_engine is engine
                        else create_session_factory(dispatch_engine))
    dispatcher = Dispatcher(dispatch_factory, registry, DispatcherConfig(
        max_attempts=settings.outbox_max_attempts, lease_seconds=settings.outbox_lease_seconds,
        poll_seconds=settings.dispatcher_poll_seconds, concurrency=concurrency))
    realtime = Hub(build_broker(settings.redis_url, prefix=settings.realtime_channel_prefix),
                   heartbeat_seconds=settings.realtime_heartbeat_seconds)
    session_factory.kw["info"] = {"wake": dispatcher.wake, "realtime": realtime}
    dispatch_factory.kw["info"] = session_factory.kw["info"]
    listener = (OutboxListener(engine.url, dispatcher.wake,
                               own=track_backends(engine, dispatch_engine))
                if engine.dialect.name == "postgresql" else None)
    return Runtime(engine, session_factory, registry, dispatcher, realtime, settings,
                   redis=_redis_client(settings.redis_url), listener=listener,
                   dispatch_engine=dispatch_engine)


def _redis_client(url: str | None) -> Any | None:
    if not url:
        return None
    from redis import asyncio as aioredis

    return aioredis.from_url(url, decode_responses=True)
