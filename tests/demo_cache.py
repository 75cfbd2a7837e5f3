"""The demo workspace, loaded once per code version and day and copied into the SQLite test
databases that ask for it.

Loading the demo (`omnidesk demo load`: workspace, people, orders, conversations, knowledge base,
and with the extras canned replies, campaigns and, with the history, 90 days of reports) costs
15–60 s of CPU, and several test files start from it. The first test that asks for a variant
loads it for real, with the same code, into a template file (under a lock shared by the test
processes); the others get a copy through SQLite's online backup, which other connections to
the test database (the app's own engine) see like any other write. PostgreSQL tests, and a
SQLite database that already holds rows, load for real.

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
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.all_models import metadata
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.demo.extras import load_demo_extras
from omnidesk.demo.loader import DemoReport, load_demo
from omnidesk.domains.workspaces.models import Workspace

SOURCE = Path(__file__).resolve().parents[1] / "src" / "omnidesk"
CACHE = Path(tempfile.gettempdir()) / "omnidesk-demo-cache"
VARIANTS = ("demo", "extras", "history")  # load_demo; + extras without / with the history
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


@contextlib.contextmanager
def _locked(variant: str) -> Iterator[None]:
    CACHE.mkdir(exist_ok=True)
    with open(CACHE / f"{variant}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


async def _template(variant: str) -> tuple[Path, LoadedDemo]:
    """Return the variant's template file and what loading it returned, building it once."""
    folder = CACHE / _key(variant)
    database, answer = folder / "demo.db", folder / "loaded.json"
    with _locked(variant):  # one process builds, the others wait and copy
        if not answer.exists():
            for old in CACHE.glob(f"{variant}-*"):  # another day's or code version's
                shutil.rmtree(old, ignore_errors=True)
            folder.mkdir()
            engine = create_engine(f"sqlite+aiosqlite:///{database}")
            try:
                async with engine.begin() as conn:
                    await conn.run_sync(metadata.create_all)
                async with create_session_factory(engine)() as session:
                    loaded = await _load(session, variant)
            finally:
                await engine.dispose()  # checkpoints the WAL into the file
            answer.write_text(json.dumps({"report": dataclasses.asdict(loaded.report),
                                          "summary": loaded.summary}))
    stored = json.loads(answer.read_text())
    return database, LoadedDemo(DemoReport(**stored["report"]), stored["summary"])


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
    if url.get_backend_name() != "sqlite" or await session.scalar(
            select(func.count()).select_from(Workspace)):
        return await _load(session, variant)
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
