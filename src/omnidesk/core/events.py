"""Domain events through a transactional outbox, delivered at least once to code subscribers.

Every event is a typed payload (an ``Event`` subclass declared in its domain's ``events.py``).
An action calls ``emit`` with one inside its transaction; the event row commits or rolls back
with the state change. The dispatcher fans each event out to one delivery row per subscriber
that declared its type and whose predicate accepts it, then runs deliveries with retries,
backoff and a dead-letter state; handlers receive the parsed model. A handler's own writes
commit in the same transaction that marks its delivery done, so database effects happen once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, utcnow
from omnidesk.core.wakeup import drop_outbox_notify, ensure_outbox_notify

PENDING, RUNNING, DONE, DEAD = "pending", "running", "done", "dead"


class OutboxEvent(Base, IdMixin):
    """One domain event, written in the transaction of the change it describes."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_fanned_out_id", "fanned_out", "id"),)

    workspace_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80), index=True)
    payload: Mapped[dict[str, Any]]
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    fanned_out: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# New events announce themselves to other processes' dispatchers (core/wakeup.py).
event.listen(OutboxEvent.__table__, "after_create",
             lambda _t, conn, **_: ensure_outbox_notify(conn))
event.listen(OutboxEvent.__table__, "before_drop",
             lambda _t, conn, **_: drop_outbox_notify(conn))


class EventDelivery(Base, IdMixin):
    """One event for one subscriber: its attempts, schedule and outcome."""

    __tablename__ = "event_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "subscriber"),
        Index("ix_event_deliveries_status_next", "status", "next_attempt_at"),
    )

    event_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("outbox_events.id", ondelete="CASCADE"), index=True
    )
    workspace_id: Mapped[int | None] = mapped_column(IdType, index=True)
    subscriber: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Event(BaseModel):
    """A domain event's payload: a subclass per event, named `noun.verb_past`, with an example.

    Subclasses that set ``name`` join the catalogue when their module is imported; bases that
    only share fields leave it unset. ``example`` is a payload every consumer must accept (the
    catalogue test emits it through the real outbox and dispatcher).
    """

    model_config = ConfigDict(frozen=True)

    name: ClassVar[str]
    example: ClassVar[dict[str, Any]]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        name = cls.__dict__.get("name")
        if name is None:
            return
        known = CATALOGUE.get(name)
        if known is not None and known.__qualname__ != cls.__qualname__:
            raise ValueError(f"event {name!r} declared twice ({known.__module__}, {cls.__module__})")
        CATALOGUE[name] = cls

    @classmethod
    def domain(cls) -> str:
        """Return the package that declares the event (e.g. conversations, channels, core)."""
        parts = cls.__module__.split(".")
        return parts[2] if len(parts) > 3 and parts[1] == "domains" else parts[1]


CATALOGUE: dict[str, type[Event]] = {}


class ScheduleFired(Event):
    """A named schedule came due (see ``core.scheduler``); its subscriber does the work."""

    name: ClassVar[str] = "schedule.fired"
    example: ClassVar[dict[str, Any]] = {"schedule": "routing_tick"}

    schedule: str


E = TypeVar("E", bound=Event)


@dataclass(frozen=True)
class DeliveredEvent(Generic[E]):
    """What a handler receives: the parsed event and which attempt this is."""

    id: int
    delivery_id: int
    workspace_id: int | None
    data: E
    key: str | None
    attempt: int
    created_at: dt.datetime

    @property
    def name(self) -> str:
        """Return the event's catalogue name."""
        return self.data.name


Handler = Callable[[DeliveredEvent[Any], AsyncSession], Awaitable[None]]
Predicate = Callable[[Any], bool]


class Audience(Protocol):
    """Which workspaces want an event, from configuration users change at run time.

    A subscriber whose work depends on stored configuration (automation rules, webhook
    endpoints) declares every event type it could act on and an audience: at fan-out the
    dispatcher refreshes the audience once per pass (one query, in the fan-out's transaction,
    so every process sees the configuration as committed) and writes a delivery only for the
    workspaces that configured something for that event.
    """

    async def refresh(self, session: AsyncSession) -> None:
        """Reload the configuration from the database."""

    def wants(self, workspace_id: int | None, event_name: str) -> bool:
        """Tell whether a workspace configured anything for this event."""


class HandlerError(Exception):
    """Base for errors a handler raises to steer its retries."""


class PermanentError(HandlerError):
    """Retrying cannot help: dead-letter the delivery now."""


class RetryLater(HandlerError):
    """Transient failure with a known wait (e.g. a provider's Retry-After)."""

    def __init__(self, message: str, *, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


@dataclass(frozen=True)
class Subscriber:
    """A named handler of some event types, with the fields it reads and an optional filter.

    ``when`` runs on the parsed event at fan-out: no delivery row is written for an event the
    handler would ignore. ``reads`` names every field the predicate and handler use; the
    registry refuses a subscriber that reads a field one of its event types does not carry.
    """

    name: str
    events: tuple[type[Event], ...]
    handler: Handler
    reads: tuple[str, ...] = ()
    when: Predicate | None = None
    max_attempts: int | None = None
    timeout_seconds: float = 60.0
    audience: Audience | None = None
    background: bool = False  # housekeeping (schedules, reports): yields to customers' work
    live: bool = False  # intake and screens (realtime): its own lane, never behind other work

    @functools.cached_property  # asked for every event at every fan-out
    def event_names(self) -> frozenset[str]:
        """Return the catalogue names this subscriber handles."""
        return frozenset(e.name for e in self.events)

    def wants(self, event: Event, workspace_id: int | None = None) -> bool:
        """Tell whether a delivery of this event would do anything."""
        if self.audience is not None and not self.audience.wants(workspace_id, event.name):
            return False
        return isinstance(event, self.events) and (self.when is None or self.when(event))

    def missing_reads(self) -> dict[str, list[str]]:
        """Return, per event name, the declared reads that event's model does not carry."""
        out = {e.name: [f for f in self.reads if f not in e.model_fields] for e in self.events}
        return {name: fields for name, fields in out.items() if fields}


@dataclass
class SubscriberRegistry:
    """Explicit map of subscribers, built once at start-up and validated."""

    subscribers: dict[str, Subscriber] = field(default_factory=dict)
    schedules: dict[str, float] = field(default_factory=dict)
    # The subscribers whose deliveries yield to the others (every schedule, and handlers
    # registered as background): the dispatcher claims them after what else is due, for up to
    # ``core.dispatcher.BACKGROUND_YIELD_SECONDS``. Kept by ``add`` (read on every claim).
    background_names: frozenset[str] = frozenset()
    # The subscribers that finish intake and update people's screens (``live``): a running
    # dispatcher claims them in a lane of their own, beside the rest, so a new message is on the
    # agents' screens right after its commit, not after the bot's turn and the reports' work
    # queued before it.
    live_names: frozenset[str] = frozenset()

    def add(self, subscriber: Subscriber) -> None:
        """Register a subscriber; names are unique and every declared read must exist."""
        if subscriber.name in self.subscribers:
            raise ValueError(f"subscriber {subscriber.name!r} registered twice")
        if not subscriber.events:
            raise ValueError(f"subscriber {subscriber.name!r} handles no event type")
        missing = subscriber.missing_reads()
        if missing:
            raise ValueError(f"subscriber {subscriber.name!r} reads fields its events do not "
                             f"carry: {missing}")
        self.subscribers[subscriber.name] = subscriber
        if subscriber.background:
            self.background_names = self.background_names | {subscriber.name}
        if subscriber.live:
            self.live_names = self.live_names | {subscriber.name}

    def subscribe(
        self, *events: type[Event], name: str, reads: tuple[str, ...] = (),
        when: Predicate | None = None, max_attempts: int | None = None,
        timeout_seconds: float = 60.0, audience: Audience | None = None,
        background: bool = False, live: bool = False,
    ) -> Callable[[Handler], Handler]:
        """Decorate a handler to register it for these event types (``background``: its
        deliveries wait while customers' work is due, see ``background_names``; ``live``: it
        updates screens and runs in the dispatcher's live lane, see ``live_names``)."""

        def register(handler: Handler) -> Handler:
            self.add(Subscriber(name, events, handler, reads, when, max_attempts,
                                timeout_seconds, audience, background, live))
            return handler

        return register

    def every(self, seconds: float, *, name: str) -> Callable[[Handler], Handler]:
        """Decorate a handler to run every `seconds` (as subscriber `schedule.<name>`)."""

        def register(handler: Handler) -> Handler:
            self.schedules[name] = seconds
            self.add(Subscriber(f"schedule.{name}", (ScheduleFired,), handler, ("schedule",),
                                lambda event: event.schedule == name, background=True))
            return handler

        return register


    def for_name(self, event_name: str) -> list[Subscriber]:
        """Return the subscribers that handle events of this name (before their predicates)."""
        return [s for s in self.subscribers.values() if event_name in s.event_names]

    def get(self, name: str) -> Subscriber | None:
        """Return a subscriber by name."""
        return self.subscribers.get(name)


def emit(
    session: AsyncSession, event: Event, *, workspace_id: int | None, key: str | None = None
) -> OutboxEvent:
    """Add a domain event to the current transaction; it is delivered only if that commits."""
    row = OutboxEvent(**outbox_values(session, event, workspace_id=workspace_id, key=key))
    session.add(row)
    return row


def outbox_values(
    session: AsyncSession, event: Event, *, workspace_id: int | None, key: str | None = None
) -> dict[str, Any]:
    """Return an event's outbox row for a caller that INSERTs it with its own statement in the
    current transaction (a set-based write, e.g. folded into the change it describes); as with
    ``emit``, it is delivered only if that commits, and the commit wakes the dispatcher."""
    session.info["outbox_dirty"] = True
    return {"workspace_id": workspace_id, "name": type(event).name,
            "payload": event.model_dump(mode="json"), "key": key, "fanned_out": False,
            "created_at": utcnow()}


async def insert_outbox_rows(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """INSERT outbox rows (``outbox_values``) as one Core statement in the current transaction."""
    if rows:
        await (await session.connection()).execute(insert(OutboxEvent), rows)


def install_commit_wakeup(session_class: type[Session] = Session) -> None:
    """Wake the in-process dispatcher right after a commit that wrote events."""
    if event.contains(session_class, "after_commit", _wake_after_commit):
        return
    event.listen(session_class, "after_commit", _wake_after_commit)


def _wake_after_commit(session: Session) -> None:
    if session.info.pop("outbox_dirty", False):
        wake = session.info.get("wake")
        if wake is not None:
            wake()


def event_names(rows: Iterable[OutboxEvent]) -> list[str]:
    """List event names, for tests and logs."""
    return [r.name for r in rows]
