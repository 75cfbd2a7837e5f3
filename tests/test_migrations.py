"""Migrations build exactly the models' schema and downgrade cleanly, on both databases."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from omnidesk.all_models import metadata
from omnidesk.core.db import create_engine
from omnidesk.migrations import downgrade, include_object, upgrade
from tests.conftest import per_worker

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = per_worker("omnidesk_migrations")


def _postgres_url() -> str:
    async def recreate() -> None:
        conn = await asyncpg.connect(PG_ADMIN)
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            await conn.execute(f"CREATE DATABASE {DATABASE}")
        finally:
            await conn.close()

    try:
        asyncio.run(recreate())
    except OSError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DATABASE}"


def _inspect(url: str) -> tuple[set[str], list[object]]:
    async def run() -> tuple[set[str], list[object]]:
        engine = create_engine(url)
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
            diff = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(
                    c, opts={"include_object": include_object}), metadata))
        await engine.dispose()
        return tables, diff

    return asyncio.run(run())


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_match_the_models_and_downgrade_to_nothing(
    backend: str, tmp_path: Path
) -> None:
    url = (f"sqlite+aiosqlite:///{tmp_path / 'm.db'}" if backend == "sqlite"
           else _postgres_url())
    upgrade(url)
    tables, diff = _inspect(url)
    assert set(metadata.tables) <= tables
    assert diff == [], f"models and migrations differ: {diff}"
    downgrade(url, "base")
    tables, _ = _inspect(url)
    assert tables <= {"alembic_version"}
    upgrade(url)
    assert set(metadata.tables) <= _inspect(url)[0]


BEFORE_INBOXES = "20261204_identity_users"
NOW = "2026-12-01 09:00:00"


def _run(url: str, *statements: str) -> list[list[tuple[object, ...]]]:
    async def run() -> list[list[tuple[object, ...]]]:
        engine = create_engine(url)
        out: list[list[tuple[object, ...]]] = []
        async with engine.begin() as conn:
            for statement in statements:
                result = await conn.exec_driver_sql(statement)
                out.append([tuple(r) for r in result.fetchall()] if result.returns_rows else [])
        await engine.dispose()
        return out

    return asyncio.run(run())


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_channel_connections_become_inboxes_and_back(backend: str, tmp_path: Path) -> None:
    url = (f"sqlite+aiosqlite:///{tmp_path / 'm.db'}" if backend == "sqlite"
           else _postgres_url())
    upgrade(url, BEFORE_INBOXES)
    json = "'{}'"
    _run(url,
         "INSERT INTO workspaces (id, slug, name, default_locale, timezone, settings, "
         f"business_hours, secret, created_at, updated_at) VALUES (1, 'acme', 'Acme', 'ko', "
         f"'Asia/Seoul', {json}, {json}, 's', '{NOW}', '{NOW}')",
         "INSERT INTO channel_connections (id, workspace_id, kind, name, sealed_settings, "
         f"is_active, state, created_at, updated_at) VALUES (7, 1, 'sms', '대표번호', 'sealed', "
         f"true, {json}, '{NOW}', '{NOW}')",
         "INSERT INTO customers (id, workspace_id, attributes, tags, created_at, updated_at) "
         f"VALUES (1, 1, {json}, '[]', '{NOW}', '{NOW}')",
         "INSERT INTO customer_identities (id, workspace_id, customer_id, kind, value, verified,"
         f" created_at) VALUES (1, 1, 1, 'phone', '+821012345678', false, '{NOW}'), "
         f"(2, 1, 1, 'web_visitor', 'v_1', false, '{NOW}')",
         "INSERT INTO conversations (id, workspace_id, customer_id, channel, status, priority, "
         "attributes, created_at, updated_at, reopened_count, message_count, owner) VALUES "
         f"(1, 1, 1, 'sms', 'open', 'normal', {json}, '{NOW}', '{NOW}', 0, 2, 'queued')",
         "INSERT INTO messages (id, workspace_id, conversation_id, channel, direction, "
         "author_kind, text, content_type, attachments, is_private, meta, created_at) VALUES "
         f"(1, 1, 1, 'sms', 'inbound', 'customer', '환불', 'text', '[]', false, {json}, '{NOW}'),"
         f"(2, 1, 1, 'web', 'inbound', 'customer', 'hi', 'text', '[]', false, {json}, '{NOW}')",
         "INSERT INTO channel_inbound_events (id, workspace_id, connection_id, channel, "
         "dedupe_key, kind, raw_body, headers, parsed, status, received_at) VALUES (1, 1, 7, "
         f"'sms', 'SM1', 'message', 'x', {json}, {json}, 'processed', '{NOW}')")
    if backend == "postgresql":  # explicit ids: move the sequences as the app's inserts would
        _run(url, "SELECT setval('customers_id_seq', 5)")
    upgrade(url)
    inboxes, convs, messages, identities, events = _run(
        url, "SELECT id, kind, name, public_key FROM inboxes ORDER BY id",
        "SELECT inbox_id FROM conversations", "SELECT id, inbox_id FROM messages ORDER BY id",
        "SELECT kind, inbox_id FROM customer_identities ORDER BY id",
        "SELECT inbox_id FROM channel_inbound_events")
    assert [(i[0], i[1], i[2]) for i in inboxes] == [(7, "sms", "대표번호"), (8, "web", "웹 채팅")]
    assert len({i[3] for i in inboxes}) == 2 and all(len(str(i[3])) >= 16 for i in inboxes)
    assert convs == [(7,)] and messages == [(1, 7), (2, 8)] and events == [(7,)]
    assert identities == [("phone", 7), ("web_visitor", 8)]
    _run(url, "INSERT INTO inboxes (workspace_id, kind, name, public_key, sealed_settings, "
              f"is_active, state, greeting, hours, created_at, updated_at) VALUES (1, 'sms', "
              f"'second', 'k2', 's2', true, {json}, {json}, {json}, '{NOW}', '{NOW}')")
    downgrade(url, BEFORE_INBOXES)
    connections, events = _run(url, "SELECT id, kind, name, sealed_settings FROM "
                                    "channel_connections", "SELECT connection_id FROM "
                                                           "channel_inbound_events")
    assert connections == [(7, "sms", "대표번호", "sealed")] and events == [(7,)]
    assert "inboxes" not in _inspect(url)[0]


BEFORE_PER_INBOX = "20261206_engage"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_raw_events_become_unique_per_inbox_and_back(backend: str, tmp_path: Path) -> None:
    url = (f"sqlite+aiosqlite:///{tmp_path / 'm.db'}" if backend == "sqlite"
           else _postgres_url())
    upgrade(url, BEFORE_PER_INBOX)
    json = "'{}'"
    event = ("INSERT INTO channel_inbound_events (id, workspace_id, inbox_id, channel, dedupe_key,"
             " kind, raw_body, headers, parsed, status, received_at) VALUES ")
    _run(url,
         "INSERT INTO workspaces (id, slug, name, default_locale, timezone, settings, "
         f"business_hours, secret, created_at, updated_at) VALUES (1, 'acme', 'Acme', 'ko', "
         f"'Asia/Seoul', {json}, {json}, 's', '{NOW}', '{NOW}')",
         "INSERT INTO inboxes (id, workspace_id, kind, name, public_key, sealed_settings, "
         f"is_active, state, greeting, hours, created_at, updated_at) VALUES (1, 1, 'sms', "
         f"'서울', 'k1', 's1', true, {json}, {json}, {json}, '{NOW}', '{NOW}'), (2, 1, 'sms', "
         f"'부산', 'k2', 's2', true, {json}, {json}, {json}, '{NOW}', '{NOW}')",
         event + f"(1, 1, 1, 'sms', 'SM1', 'message', 'x', {json}, {json}, 'processed', '{NOW}')")
    upgrade(url)
    # The second number may now receive the same provider id; one inbox still may not.
    _run(url, event + f"(2, 1, 2, 'sms', 'SM1', 'message', 'y', {json}, {json}, 'processed', "
                      f"'{NOW}')",
         event + f"(3, 1, NULL, 'api', 'api:1:c-1', 'message', 'z', {json}, {json}, "
                 f"'processed', '{NOW}')")
    same_inbox = f"(4, 1, 1, 'sms', 'SM1', 'message', 'x', {json}, {json}, 'received', '{NOW}')"
    no_inbox = (f"(5, 1, NULL, 'api', 'api:1:c-1', 'message', 'z', {json}, {json}, 'received', "
                f"'{NOW}')")
    for repeat in (same_inbox, no_inbox):
        with pytest.raises(Exception, match="(?i)unique|duplicate"):
            _run(url, event + repeat)
    # Two Telegram bots number their chats alike: the same provider id, one message per inbox.
    _run(url, "INSERT INTO customers (id, workspace_id, attributes, tags, created_at, updated_at) "
              f"VALUES (1, 1, {json}, '[]', '{NOW}', '{NOW}')",
         "INSERT INTO conversations (id, workspace_id, customer_id, channel, status, priority, "
         "attributes, created_at, updated_at, reopened_count, message_count, owner) VALUES "
         f"(1, 1, 1, 'sms', 'open', 'normal', {json}, '{NOW}', '{NOW}', 0, 2, 'queued')",
         "INSERT INTO messages (id, workspace_id, conversation_id, channel, direction, "
         "author_kind, text, content_type, attachments, is_private, meta, created_at, "
         "provider_message_id, inbox_id) VALUES "
         f"(1, 1, 1, 'sms', 'inbound', 'customer', 'a', 'text', '[]', false, {json}, '{NOW}', "
         f"'SM1', 1), (2, 1, 1, 'sms', 'inbound', 'customer', 'b', 'text', '[]', false, {json}, "
         f"'{NOW}', 'SM1', 2)")
    downgrade(url, BEFORE_PER_INBOX)
    rows = _run(url, "SELECT id, inbox_id, dedupe_key FROM channel_inbound_events ORDER BY id",
                "SELECT id, provider_message_id FROM messages ORDER BY id")
    assert rows == [[(1, 1, "SM1"), (2, 2, "SM1#2"), (3, None, "api:1:c-1")],  # none lost
                    [(1, "SM1"), (2, "SM1#2")]]
    upgrade(url)
    assert _inspect(url)[1] == []


def _zeros(url: str, table: str) -> dict[str, object]:
    """Every column of a table that a test row leaves at zero (counters), by name."""
    async def run() -> dict[str, object]:
        engine = create_engine(url)
        async with engine.connect() as conn:
            columns = await conn.run_sync(lambda c: inspect(c).get_columns(table))
        await engine.dispose()
        return {c["name"]: 0 for c in columns if c["name"] not in ("id",)}

    return asyncio.run(run())


def _insert(url: str, table: str, rows: list[dict[str, object]]) -> None:
    for row in rows:
        names = ", ".join(row)
        values = ", ".join(f"'{v}'" if isinstance(v, str) else str(v) for v in row.values())
        _run(url, f"INSERT INTO {table} ({names}) VALUES ({values})")


def _seoul_workspace_at(backend: str, tmp_path: Path, revision: str) -> str:
    """Return the URL of a database upgraded to ``revision`` holding workspace 1 (Seoul)."""
    url = (f"sqlite+aiosqlite:///{tmp_path / 'm.db'}" if backend == "sqlite"
           else _postgres_url())
    upgrade(url, revision)
    json = "'{}'"
    _run(url, "INSERT INTO workspaces (id, slug, name, default_locale, timezone, settings, "
              f"business_hours, secret, created_at, updated_at) VALUES (1, 'acme', 'Acme', 'ko', "
              f"'Asia/Seoul', {json}, {json}, 's', '{NOW}', '{NOW}')")
    return url


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_heatmap_hours_of_days_counted_before_the_upgrade_are_filled_in(
        backend: str, tmp_path: Path) -> None:
    url = _seoul_workspace_at(backend, tmp_path, "20261210_occupancy")
    hourly, daily = _zeros(url, "analytics_rollups"), _zeros(url, "analytics_daily_rollups")
    # 2026-12-01 00:00 and 14:00 UTC are 09:00 on the 1st and 23:00 on the 1st in Seoul;
    # 15:00 UTC is 00:00 on the 2nd
    _insert(url, "analytics_rollups", [
        {**hourly, "workspace_id": 1, "dimension": "all", "key": "", "hour": hour,
         "conversations": n, "first_responses": n, "first_response_seconds_sum": 60.0 * n}
        for hour, n in (("2026-12-01 00:00:00", 2), ("2026-12-01 14:00:00", 1),
                        ("2026-12-01 15:00:00", 3))])
    _insert(url, "analytics_daily_rollups", [
        {**daily, "workspace_id": 1, "dimension": "all", "key": "", "day": day,
         "conversations": n} for day, n in (("2026-12-01", 3), ("2026-12-02", 3))])
    upgrade(url)
    [rows] = _run(url, "SELECT day, hour9_conversations, hour23_conversations, "
                       "hour0_conversations, hour9_first_response_seconds_sum "
                       "FROM analytics_daily_rollups WHERE dimension = 'all' ORDER BY day")
    assert [tuple(r[1:]) for r in rows] == [(2, 1, 0, 120.0), (0, 0, 3, 0.0)]
    assert _inspect(url)[1] == []


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_pair_and_monthly_rollups_of_days_counted_before_the_upgrade_are_filled_in(
        backend: str, tmp_path: Path) -> None:
    url = _seoul_workspace_at(backend, tmp_path, "20261211_heatmap_rollups")
    json = "'{}'"
    _run(url, "INSERT INTO customers (id, workspace_id, attributes, tags, created_at, updated_at) "
         f"VALUES (1, 1, {json}, '[]', '{NOW}', '{NOW}')",
         *("INSERT INTO conversations (id, workspace_id, customer_id, channel, status, priority, "
           "attributes, created_at, updated_at, reopened_count, message_count, owner) VALUES "
           f"({i}, 1, 1, 'sms', 'open', 'normal', {json}, '{NOW}', '{NOW}', 0, 2, 'queued')"
           for i in (1, 2, 3)))
    # 2026-11-30 16:00 UTC is 01:00 on 12-01 in Seoul; a language holding the separator
    _insert(url, "analytics_conversation_facts", [
        {"workspace_id": 1, "conversation_id": i, "customer_id": 1, "channel": channel,
         "team_id": team, "language": language, "status": "open", "created_at": created,
         "hour_of_week": 0, "agent_replies": 0, "reopened": 0, "bot_handled": "false",
         "handed_off": "false", "updated_at": NOW, "first_response_seconds": 60.0 * i,
         "csat": 5} for i, channel, team, language, created in (
            (1, "sms", 1, "ko", "2026-11-30 16:00:00"), (2, "web", 1, "ko", "2026-12-01 03:00:00"),
            (3, "sms", 2, "k|o", "2026-12-20 03:00:00"))])
    daily = _zeros(url, "analytics_daily_rollups")
    _insert(url, "analytics_daily_rollups", [  # what the application had counted
        {**daily, "workspace_id": 1, "dimension": "all", "key": "", "day": day,
         "conversations": n, "csat_5": n} for day, n in (("2026-12-01", 2), ("2026-12-20", 1))])
    upgrade(url)
    [pairs, months, dimensions] = _run(
        url, "SELECT dimension, key, day, conversations, csat_5, first_response_seconds_sum "
             "FROM analytics_daily_rollups WHERE dimension IN ('channel+team', 'team+language')"
             " ORDER BY dimension, key, day",
        "SELECT dimension, key, day, conversations, csat_5 FROM analytics_daily_rollups"
        " WHERE dimension IN ('month:all', 'month:channel+team') ORDER BY dimension, key",
        "SELECT DISTINCT dimension FROM analytics_daily_rollups ORDER BY dimension")
    assert [(r[0], r[1], str(r[2]), *r[3:]) for r in pairs] == [
        ("channel+team", "sms|1", "2026-12-01", 1, 1, 60.0),
        ("channel+team", "sms|2", "2026-12-20", 1, 1, 180.0),
        ("channel+team", "web|1", "2026-12-01", 1, 1, 120.0),
        ("team+language", "1|ko", "2026-12-01", 2, 2, 180.0),
        ("team+language", "2|k%7Co", "2026-12-20", 1, 1, 180.0)]
    assert [(r[0], r[1], str(r[2]), *r[3:]) for r in months] == [
        ("month:all", "", "2026-12-01", 3, 3),
        ("month:channel+team", "sms|1", "2026-12-01", 1, 1),
        ("month:channel+team", "sms|2", "2026-12-01", 1, 1),
        ("month:channel+team", "web|1", "2026-12-01", 1, 1)]
    assert len([d for (d,) in dimensions if "+" in d and not d.startswith("month:")]) == 6
    assert _inspect(url)[1] == []
    downgrade(url, "20261211_heatmap_rollups")
    assert _run(url, "SELECT DISTINCT dimension FROM analytics_daily_rollups") == [[("all",)]]
