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

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _postgres_url() -> str:
    async def recreate() -> None:
        conn = await asyncpg.connect(PG_ADMIN)
        try:
            await conn.execute("DROP DATABASE IF EXISTS omnidesk_migrations WITH (FORCE)")
            await conn.execute("CREATE DATABASE omnidesk_migrations")
        finally:
            await conn.close()

    try:
        asyncio.run(recreate())
    except OSError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    return "postgresql+asyncpg://postgres@127.0.0.1:5432/omnidesk_migrations"


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
