"""The demo workspace, loaded once per code version and day and copied into the SQLite test
databases that ask for it.

Loading the demo (`omnidesk demo load`: workspace, people, orders, conversations, knowledge base,
and with the extras canned replies, campaigns and, with the history, 90 days of reports) costs
15–60 s of CPU, and several test files start from it. The first test that asks for a variant
loads it for real, with the same code, into a template file (under a lock shared by the test
processes); the others get a copy through SQLite's online backup, which other connections to
the test database (the app's own engine) see like any other write. On PostgreSQL the first test loads the demo for
real into a scratch database and keeps each table's rows as a binary COPY file (and the
sequences' positions); the others COPY those rows into their own database in the session's
transaction. A database that already holds a workspace loads for real.

A variant's template starts as a copy of the one before it ("extras" is the demo and the
extras, "history" those and the reports' history), so each step is loaded once.

The template is keyed by the content of the source tree, the schema's tables and the date (the
demo is generated relative to today), so a change to the loader or to anything it calls makes a
new one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import hashlib
import json
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.all_models import metadata
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.demo.analytics import load_history_demo
from omnidesk.demo.extras import load_demo_extras
from omnidesk.demo.loader import DemoReport, load_demo
from omnidesk.domains.workspaces.models import Workspace

SOURCE = Path(__file__).resolve().parents[1] / "src" / "omnidesk"
CACHE = Path(tempfile.gettempdir()) / "omnidesk-demo-cache"
VARIANTS = ("demo", "extras", "history")  # load_demo; + extras without / with the history
BASE = {"extras": "demo", "history": "extras"}  # each variant is the one before and a step
_KEY: dict[str, str] = {}


@dataclasses.dataclass(frozen=True)
class LoadedDemo:
    """What loading the demo returned: the loader's report and the extras' summary."""

    report: DemoReport
    summary: str = ""


def _key(variant: str) -> str:
    if "source" not in _KEY:
        digest = hashlib.sha256()
        for path in sorted(SOURCE.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(SOURCE)).encode())
                digest.update(path.read_bytes())
        _KEY["source"] = digest.hexdigest()[:16]
    tables = hashlib.sha256(" ".join(sorted(metadata.tables)).encode()).hexdigest()[:8]
    return f"{variant}-{dt.date.today().isoformat()}-{_KEY['source']}-{tables}"


async def _load(session: AsyncSession, variant: str) -> LoadedDemo:
    report = await load_demo(session)
    summary = ""
    if variant != "demo":
        summary = await load_demo_extras(session, report.workspace_id,
                                         history=variant == "history")
    await session.commit()
    return LoadedDemo(report, summary)


async def _fill(session: AsyncSession, variant: str) -> LoadedDemo:
    """Load the variant into an empty database for its template: a copy of the variant before
    it (``load_demo_extras`` is the extras and then the history) and the one step on top."""
    if variant == "demo":
        return await _load(session, variant)
    base = await loaded_demo(session, BASE[variant])
    workspace_id = base.report.workspace_id
    if variant == "extras":
        summary = await load_demo_extras(session, workspace_id, history=False)
    else:
        summary = base.summary + await load_history_demo(session, workspace_id)
    await session.commit()
    return LoadedDemo(base.report, summary)


@contextlib.contextmanager
def _locked(variant: str) -> Iterator[None]:
    CACHE.mkdir(exist_ok=True)
    with open(CACHE / f"{variant}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _fresh(folder: Path, pattern: str) -> None:
    """Empty the cache of the variant's older templates (another day's, or another code
    version's made over an hour ago: a run of another checkout may be copying a newer one right
    now) and make ``folder`` for the new one."""
    unused = time.time() - 3600
    for old in CACHE.glob(pattern):
        if old.stat().st_mtime < unused or not old.name.startswith(_day_prefix(pattern)):
            shutil.rmtree(old, ignore_errors=True)
    folder.mkdir()


def _day_prefix(pattern: str) -> str:
    """The name every template of the pattern's variant made today starts with."""
    return f"{pattern.removesuffix('*')}{dt.date.today().isoformat()}-"


async def _load_into(url: str, variant: str) -> LoadedDemo:
    """Create the schema in the empty database at ``url`` and load the variant into it."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        async with create_session_factory(engine)() as session:
            return await _fill(session, variant)
    finally:
        await engine.dispose()  # on SQLite, checkpoints the WAL into the file


async def _template(variant: str) -> tuple[Path, LoadedDemo]:
    """Return the variant's template file and what loading it returned, building it once."""
    folder = CACHE / _key(variant)
    database, answer = folder / "demo.db", folder / "loaded.json"
    with _locked(variant):  # one process builds, the others wait and copy
        if not answer.exists():
            _fresh(folder, f"{variant}-*")
            loaded = await _load_into(f"sqlite+aiosqlite:///{database}", variant)
            answer.write_text(json.dumps({"report": dataclasses.asdict(loaded.report),
                                          "summary": loaded.summary}))
    stored = json.loads(answer.read_text())
    return database, LoadedDemo(DemoReport(**stored["report"]), stored["summary"])


def _plain(url: Any, database: str) -> str:
    """An asyncpg DSN for ``database`` on the server of the SQLAlchemy URL ``url``."""
    return url.set(drivername="postgresql", database=database).render_as_string(
        hide_password=False)


async def _pg_template(variant: str, url: Any) -> tuple[Path, dict[str, Any]]:
    """Return the folder of the variant's PostgreSQL rows and what loading it returned (the
    report, the summary, the tables that have rows and the sequences' positions), loading the
    demo once into a scratch database next to ``url``'s."""
    folder = CACHE / f"pg-{_key(variant)}"
    answer = folder / "loaded.json"
    with _locked(f"pg-{variant}"):
        if not answer.exists():
            _fresh(folder, f"pg-{variant}-*")
            scratch = f"{url.database}_demo"
            admin = await asyncpg.connect(_plain(url, "postgres"))
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
                await admin.execute(f'CREATE DATABASE "{scratch}"')
                loaded = await _load_into(
                    url.set(database=scratch).render_as_string(hide_password=False), variant)
                source = await asyncpg.connect(_plain(url, scratch))
                try:
                    tables = []
                    for table in metadata.sorted_tables:
                        if await source.fetchval(f'SELECT EXISTS (SELECT FROM "{table.name}")'):
                            await source.copy_from_table(
                                table.name, columns=[c.name for c in table.columns],
                                output=str(folder / f"{table.name}.copy"), format="binary")
                            tables.append(table.name)
                    sequences = dict(await source.fetch(
                        "SELECT sequencename, last_value FROM pg_sequences "
                        "WHERE schemaname = 'public' AND last_value IS NOT NULL"))
                finally:
                    await source.close()
                await admin.execute(f'DROP DATABASE "{scratch}" WITH (FORCE)')
            finally:
                await admin.close()
            answer.write_text(json.dumps({
                "report": dataclasses.asdict(loaded.report), "summary": loaded.summary,
                "tables": tables, "sequences": sequences}))
    return folder, json.loads(answer.read_text())


async def _pg_copy(session: AsyncSession, folder: Path, stored: dict[str, Any]) -> None:
    """COPY the stored rows into the session's database, parents first, in its transaction."""
    connection = await session.connection()
    raw = (await connection.get_raw_connection()).driver_connection
    assert raw is not None
    # the rows were checked when the demo was loaded: no foreign-key triggers per row
    await connection.execute(text("SET LOCAL session_replication_role = replica"))
    for table in metadata.sorted_tables:
        if table.name in stored["tables"]:
            await raw.copy_to_table(table.name, source=str(folder / f"{table.name}.copy"),
                                    columns=[c.name for c in table.columns], format="binary")
    for name, value in stored["sequences"].items():
        await connection.execute(text("SELECT setval(:name, :value)"),
                                 {"name": name, "value": value})
    await session.commit()


def _copy(template: Path, target: Path) -> None:
    source, destination = sqlite3.connect(template), sqlite3.connect(target, timeout=30)
    try:
        source.backup(destination)
    finally:
        source.close()
        destination.close()


async def loaded_demo(session: AsyncSession, variant: str = "demo") -> LoadedDemo:
    """Load the demo into the session's database, as ``omnidesk demo load`` would, and commit.

    ``variant``: "demo" (the loader), "extras" (and the extras without the reports' history) or
    "history" (the extras with the history, what ``make run`` loads).
    """
    assert variant in VARIANTS, variant
    url = session.get_bind().engine.url
    if await session.scalar(select(func.count()).select_from(Workspace)):
        return await _load(session, variant)
    if url.get_backend_name() == "postgresql":
        folder, stored = await _pg_template(variant, url)
        await _pg_copy(session, folder, stored)
        return LoadedDemo(DemoReport(**stored["report"]), stored["summary"])
    template, loaded = await _template(variant)
    await session.commit()
    await session.close()
    assert url.database
    _copy(template, Path(url.database))
    await session.execute(text("SELECT 1"))  # the session reads the copy from here on
    return loaded


async def demo_database_file(target: Path, variant: str = "demo") -> LoadedDemo:
    """Make ``target`` a new SQLite database holding the demo (for servers the tests start)."""
    template, loaded = await _template(variant)
    _copy(template, target)
    return loaded
