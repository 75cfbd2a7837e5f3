"""The event catalogue, in the style of Zulip's test_events: every event type, its example,
its trip through the real outbox and dispatcher, and what its subscribers may read.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from omnidesk.app.catalogue import load_catalogue
from omnidesk.app.cli import app
from omnidesk.app.subscribers import build_registry
from omnidesk.config import Settings
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import DONE, Event, EventDelivery, OutboxEvent, emit
from tests.conftest import Persona

CATALOGUE = load_catalogue()
NAME = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")  # noun.verb_past


def _registry():
    return build_registry(Settings(database_url="sqlite://"))


def test_the_catalogue_holds_every_domain_event() -> None:
    domains = {model.domain() for model in CATALOGUE.values()}
    assert {"conversations", "routing", "bot", "knowledge", "commerce", "channels", "core",
            "customers", "agents", "workspaces", "assist", "nlu"} <= domains
    assert len(CATALOGUE) >= 60


def test_every_event_declares_its_own_example_and_its_model_accepts_it() -> None:
    missing = [name for name, model in CATALOGUE.items() if "example" not in vars(model)]
    assert not missing, f"events without an example: {missing}"
    for name, model in CATALOGUE.items():
        assert NAME.match(name), name
        unknown = set(model.example) - set(model.model_fields)
        assert not unknown, f"{name} example has fields the model lacks: {unknown}"
        event = model.model_validate(model.example)
        assert model.model_validate(event.model_dump(mode="json")) == event, name


def test_every_subscriber_reads_only_fields_all_its_events_carry() -> None:
    registry = _registry()
    known = set(CATALOGUE.values())
    for subscriber in registry.subscribers.values():
        assert set(subscriber.events) <= known, subscriber.name
        assert subscriber.missing_reads() == {}, subscriber.name
        if subscriber.when is not None:  # a predicate reads declared fields only
            for model in subscriber.events:
                subscriber.wants(model.model_validate(model.example))


def test_the_routing_subscriber_reads_the_customers_words_from_every_arrival() -> None:
    enqueue = _registry().subscribers["routing.enqueue"]
    assert {"text", "sentiment"} <= set(enqueue.reads)
    assert {e.name for e in enqueue.events} == {
        "conversation.created", "conversation.bot_handoff", "conversation.reopened"}


async def test_every_example_goes_through_the_real_outbox_and_dispatcher(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    registry = _registry()
    examples: dict[str, Event] = {n: m.model_validate(m.example) for n, m in CATALOGUE.items()}
    await Dispatcher(session_factory, registry).drain()  # the personas' own events
    before = await session.scalar(select(func.max(OutboxEvent.id))) or 0
    for event in examples.values():
        emit(session, event, workspace_id=owner.workspace_id)
    await session.commit()
    # what the subscribers emit while the drain runs (a schedule that comes due on a slow
    # machine, a workspace change) is theirs, not an example: only the examples are compared
    last = await session.scalar(select(func.max(OutboxEvent.id)))
    await Dispatcher(session_factory, registry, DispatcherConfig(
        backoff_base_seconds=0, max_attempts=1)).drain()

    stored = (await session.execute(
        select(OutboxEvent.id, OutboxEvent.name, OutboxEvent.payload)
        .where(OutboxEvent.id > before, OutboxEvent.id <= last,
               OutboxEvent.name.in_(examples)))).all()
    assert sorted(name for _, name, _ in stored) == sorted(examples)
    for _, name, payload in stored:
        assert CATALOGUE[name].model_validate(payload) == examples[name]  # shape survives
    deliveries = (await session.execute(
        select(EventDelivery.event_id, EventDelivery.subscriber, EventDelivery.status,
               EventDelivery.last_error))).all()
    by_event = {event_id: name for event_id, name, _ in stored}
    got = sorted((by_event[d.event_id], d.subscriber) for d in deliveries
                 if d.event_id in by_event)
    wanted = sorted((name, s.name) for name, event in examples.items()
                    for s in registry.for_name(name) if s.wants(event))
    assert got == wanted  # one delivery per subscriber that acts, none for the rest
    failed = [(by_event.get(d.event_id), d.subscriber, d.last_error) for d in deliveries
              if d.status != DONE]
    assert not failed


def test_the_cli_lists_the_catalogue_with_fields_and_subscribers() -> None:
    result = CliRunner().invoke(app, ["events", "list", "--json"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("{")]
    assert len(lines) == len(CATALOGUE)
    created = next(line for line in lines if '"message.created"' in line)
    assert '"sentiment"' in created and '"bot.answer"' in created
