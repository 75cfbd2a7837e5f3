"""Shared fixtures: a database per backend (SQLite file, PostgreSQL), the app, personas."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from omnidesk.all_models import metadata
from omnidesk.config import Settings
from omnidesk.core import security
from omnidesk.core.context import Actor, system_actor
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.domains.agents.actions import do_create_api_token, do_create_user
from omnidesk.domains.agents.schemas import ApiTokenCreate, UserCreate
from omnidesk.domains.workspaces.actions import do_create_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceCreate

# pytest-xdist names each process (gw0, gw1…); OMNIDESK_TEST_DB_SUFFIX keeps two checkouts that
# run their tests at the same time on one PostgreSQL server apart
WORKER = "_".join(filter(None, (os.environ.get("OMNIDESK_TEST_DB_SUFFIX"),
                                os.environ.get("PYTEST_XDIST_WORKER"))))


def per_worker(name: str) -> str:
    """Return a database name of this test process (pytest-xdist runs several at once)."""
    return f"{name}_{WORKER}" if WORKER else name


PG_URL = per_worker(os.environ.get("OMNIDESK_TEST_PG_URL",
                                   "postgresql+asyncpg://postgres@127.0.0.1:5432/test"))
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
_pg_ready: dict[str, object] = {}

# Production hashes passwords with argon2id at 64 MiB and 3 passes: 0.1-0.6 s of CPU per hash on
# this machine, and the suite makes personas (two users each) for hundreds of tests. Tests hash
# with the same code and algorithm at argon2's lowest cost; verification reads the cost from each
# hash, so logins against these users (browser-test servers too) are cheap as well.
security._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


async def _ensure_database(url: str) -> None:
    """Create the PostgreSQL test database when it does not exist yet."""
    import asyncpg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgresql+asyncpg", "postgresql") + "/postgres"
    conn = await asyncpg.connect(admin)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _reset_postgres(engine: AsyncEngine) -> None:
    if not _pg_ready.get("database"):
        await _ensure_database(str(engine.url.render_as_string(hide_password=False)))
        _pg_ready["database"] = True
    if _pg_ready.get("tables") != set(metadata.tables):  # a test module added models
        _pg_ready["schema"] = False
    if not _pg_ready.get("schema"):
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
            await conn.run_sync(metadata.create_all)
        _pg_ready["schema"] = True
        _pg_ready["tables"] = set(metadata.tables)
        return
    # Empty what the last test filled and rewind the sequences it used. DELETE, children first:
    # a handful of small tables empty in milliseconds, where TRUNCATE makes new files for every
    # table and index it names (a fifth of a second per test); TRUNCATE … CASCADE stays the
    # fallback for rows DELETE cannot take in that order.
    probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")"
                               for t in metadata.sorted_tables)
    rewind = text("SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false)"
                  " FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL")
    async with engine.connect() as conn:
        used = set((await conn.execute(text(probe))).scalars().all())
    try:
        async with engine.begin() as conn:
            for table in reversed(metadata.sorted_tables):
                if table.name in used:
                    await conn.execute(text(f'DELETE FROM "{table.name}"'))
            await conn.execute(rewind)
    except DBAPIError:
        async with engine.begin() as conn:
            names = ", ".join(f'"{name}"' for name in used)
            await conn.execute(text(f"TRUNCATE {names} CASCADE"))
            await conn.execute(rewind)


_SQLITE_TEMPLATE: dict[frozenset[str], Path] = {}


async def _sqlite_schema(engine: AsyncEngine, url: str) -> None:
    """Give a new SQLite file the schema: a copy of one made by ``create_all`` in this process
    for the same set of tables (a test module may add models), which is much faster."""
    tables = frozenset(metadata.tables)
    target = Path(url.split(":///", 1)[1])
    if tables not in _SQLITE_TEMPLATE:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        await engine.dispose()  # checkpoint the WAL into the file before copying it
        template = Path(tempfile.mkdtemp(prefix="omnidesk-schema-")) / "schema.db"
        shutil.copyfile(target, template)
        _SQLITE_TEMPLATE[tables] = template
        return
    await engine.dispose()
    shutil.copyfile(_SQLITE_TEMPLATE[tables], target)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Give each test a clean database on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'omnidesk.db'}"
    return PG_URL


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """Create the schema on a fresh database and yield its engine."""
    engine = create_engine(db_url)
    try:
        if db_url.startswith("postgresql"):
            await _reset_postgres(engine)
        else:
            await _sqlite_schema(engine, db_url)
    except OSError as exc:  # PostgreSQL not running
        await engine.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {db_url}: {exc} (make test starts it)")
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Return a session factory on the test database."""
    return create_session_factory(engine)


@pytest.fixture
async def session(session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """Yield one session on the test database."""
    async with session_factory() as session:
        yield session


@dataclass
class Persona:
    """A workspace with an admin user, an agent, and an admin API token."""

    workspace_id: int
    slug: str
    admin: Actor
    agent: Actor
    token: str
    agent_email: str
    password: str = "correct horse battery"

    @property
    def headers(self) -> dict[str, str]:
        """Return the Authorization header for the admin token."""
        return {"Authorization": f"Bearer {self.token}"}


async def make_persona(session: AsyncSession, slug: str) -> Persona:
    """Create a workspace with an admin, an agent and an admin API token."""
    ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(slug=slug, name=slug))
    system = system_actor(ws.id)
    admin = await do_create_user(session, actor=system, user_in=UserCreate(
        email=f"admin@{slug}.example", name="Admin", password="correct horse battery",
        role="admin"))
    agent = await do_create_user(session, actor=system, user_in=UserCreate(
        email=f"agent@{slug}.example", name="에이전트", password="correct horse battery",
        role="agent"))
    admin_actor = Actor(workspace_id=ws.id, user_id=admin.id, role="admin")
    _, token = await do_create_api_token(session, actor=admin_actor,
                                         token_in=ApiTokenCreate(name="tests"))
    await session.commit()
    return Persona(ws.id, slug, admin_actor, Actor(ws.id, agent.id, "agent"), token,
                   agent.email)


@pytest.fixture
async def owner(session: AsyncSession) -> Persona:
    """The main persona: workspace 'acme'."""
    return await make_persona(session, "acme")


@pytest.fixture
async def outsider(session: AsyncSession, owner: Persona) -> Persona:
    """Another tenant: workspace 'globex'."""
    return await make_persona(session, "globex")


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Settings for an app on the test database, dispatcher off (tests drive it). With no
    dispatcher the outbox only grows, so intake's outbox-lag and live-backlog refusals are set
    out of reach: a long test (the OpenAPI fuzz on a busy machine) is not refused for it
    (tests/web/test_back_pressure.py tests that refusal with its own settings)."""
    return Settings(database_url=db_url, secret_key="test-secret", run_dispatcher=False,
                    upload_dir=tmp_path / "uploads", intake_max_outbox_lag_seconds=86_400,
                    intake_max_live_backlog=1_000_000)


@pytest.fixture
async def client(settings: Settings, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in-process."""
    from omnidesk.app.main import create_app

    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    await app.state.runtime.dispose()


# The files that take longest (a minute or more of one worker's time), started first: with
# `--dist loadfile` a worker takes whole files in collection order, and a long file collected last
# (these sort late) ran alone for minutes at the end of the suite while the other workers idled.
LONG_FILES_FIRST = (  # the two multi-process drills apart, so they rarely share the 2 cores
    "tests/e2e/test_bot_in_widget.py", "tests/e2e/test_agent_workspace.py",
    "tests/test_openapi_fuzz.py", "tests/web/test_customer360.py", "tests/e2e/test_scaled_out.py",
    "tests/domains/engagement/test_demo_shopper.py", "tests/domains/knowledge/test_help_center.py",
    "tests/channels/test_media_download.py", "tests/test_crash_drill.py",
    "tests/test_migrations.py", "tests/test_cli.py", "tests/domains/inboxes/test_inboxes.py",
    "tests/e2e/test_first_run.py", "tests/e2e/test_agent_day.py",
    "tests/domains/analytics/test_demo_reports.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the longest files first (a stable sort: the order inside a file is kept)."""
    rank = {name: n for n, name in enumerate(LONG_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
