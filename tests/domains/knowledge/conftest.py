"""Knowledge base fixtures: the demo knowledge base, loaded once per backend and session.

Function-scoped tests use the suite's clean database per test (``tests/conftest.py``); search
quality tests share one demo knowledge base per backend (its own PostgreSQL database,
kb_demo_test), loaded once per session.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from omnidesk.all_models import metadata
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.demo.knowledge import load_demo_articles
from omnidesk.domains.knowledge import models as _kb_models  # noqa: F401 - registers tables
from omnidesk.domains.workspaces.actions import do_create_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceCreate
from tests.conftest import per_worker

PG_SERVER = os.environ.get("OMNIDESK_TEST_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
DEMO_DB = per_worker("kb_demo_test")
_created: set[str] = set()


async def _ensure_database(name: str) -> str:
    """Create a PostgreSQL database for these tests once; return its SQLAlchemy URL."""
    if name not in _created:
        conn = await asyncpg.connect(f"{PG_SERVER}/postgres")
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        _created.add(name)
    return f"{PG_SERVER.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"


async def _fresh_schema(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await conn.run_sync(metadata.create_all)


async def _engine_for(backend: str, sqlite_path: Path, pg_name: str) -> AsyncEngine:
    if backend == "sqlite":
        return create_engine(f"sqlite+aiosqlite:///{sqlite_path}")
    try:
        return create_engine(await _ensure_database(pg_name))
    except OSError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc}")


@dataclass
class DemoKb:
    """A loaded demo knowledge base: its engine and workspace."""

    engine: AsyncEngine
    workspace_id: int

    def session(self) -> AsyncSession:
        """Open a session on the demo database."""
        return create_session_factory(self.engine)()


@pytest_asyncio.fixture(scope="session", loop_scope="session", params=["sqlite", "postgresql"])
async def demo_kb(request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[DemoKb]:
    """Load the 한빛리빙 demo knowledge base once per backend."""
    path = tmp_path_factory.mktemp("kb-demo") / "demo.db"
    engine = await _engine_for(request.param, path, DEMO_DB)
    await _fresh_schema(engine)
    async with create_session_factory(engine)() as session:
        ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(
            slug="hanbit", name="한빛리빙"))
        await load_demo_articles(session, ws.id)
        await session.commit()
    yield DemoKb(engine, ws.id)
    await engine.dispose()
