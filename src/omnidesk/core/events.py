"""Domain events through a transactional outbox, delivered at least once to code subscribers.

An action calls ``emit`` inside its transaction; the event row commits or rolls back with the
state change. The dispatcher fans each event out to one delivery row per interested subscriber,
then runs deliveries with retries, backoff and a dead-letter state. A handler's own writes commit
in the same transaction that marks its delivery done, so database effects happen once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, utcnow

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


@dataclass(frozen=True)
class DeliveredEvent:
    """What a handler receives: the event and which attempt this is."""

    id: int
    delivery_id: int
    name: str
    workspace_id: int | None
    payload: dict[str, Any]
    key: str | None
    attempt: int
    created_at: dt.datetime


Handler = Callable[[DeliveredEvent, AsyncSession], Awaitable[None]]


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
    """A named handler for a set of event names ("*" for all)."""

    name: str
    events: frozenset[str]
    handler: Handler
    max_attempts: int | None = None
    timeout_seconds: float = 60.0

    def wants(self, event_name: str) -> bool:
        """Tell whether this subscriber takes events of this name."""
        return "*" in self.events or event_name in self.events


@dataclass
class SubscriberRegistry:
    """Explicit map of subscribers, built once at start-up and validated."""

    subscribers: dict[str, Subscriber] = field(default_factory=dict)
    schedules: dict[str, float] = field(default_factory=dict)

    def add(self, subscriber: Subscriber) -> None:
        """Register a subscriber; names are unique."""
        if subscriber.name in self.subscribers:
            raise ValueError(f"subscriber {subscriber.name!r} registered twice")
        self.subscribers[subscriber.name] = subscriber

    def subscribe(
        self, *events: str, name: str, max_attempts: int | None = None
    ) -> Callable[[Handler], Handler]:
        """Decorate a handler to register it for these event names."""

        def register(handler: Handler) -> Handler:
            self.add(Subscriber(name, frozenset(events), handler, max_attempts))
            return handler

        return register

    def every(self, seconds: float, *, name: str) -> Callable[[Handler], Handler]:
        """Decorate a handler to run every `seconds` (as the subscriber of `schedule.<name>`)."""

        def register(handler: Handler) -> Handler:
            self.schedules[name] = seconds
            self.add(Subscriber(f"schedule.{name}", frozenset({f"schedule.{name}"}), handler))
            return handler

        return register

    def for_event(self, event_name: str) -> list[Subscriber]:
        """Return the subscribers that want this event."""
        return [s for s in self.subscribers.values() if s.wants(event_name)]

    def get(self, name: str) -> Subscriber | None:
        """Return a subscriber by name."""
        return self.subscribers.get(name)


def emit(
    session: AsyncSession,
    name: str,
    payload: dict[str, Any],
    *,
    workspace_id: int | None,
    key: str | None = None,
) -> OutboxEvent:
    """Add a domain event to the current transaction; it is delivered only if that commits."""
    row = OutboxEvent(workspace_id=workspace_id, name=name, payload=payload, key=key)
    session.add(row)
    session.info["outbox_dirty"] = True
    return row


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
