"""Message search indexing: messages indexed per second and CPU ms a message, two code versions.

    PYTHONPATH=src python bench/message_index.py --base /tmp/msgidx-base/src
    PYTHONPATH=src python bench/message_index.py --base /tmp/msgidx-base/src --unique-lines

Loads the demo workspace (``load_demo`` and its extras: the conversations' messages) once into a
SQLite file and a PostgreSQL database (``omnidesk_bench_msgidx``), then, for each round and
database, empties the message index and runs ``do_index_all_messages`` (what ``omnidesk demo
load`` and a reindex do) once with this checkout's code and once with ``--base``'s, in
alternating order, each in its own process (the analyser warmed before the clock starts). Prints
wall time, messages a second, the process's CPU ms a message (analysis thread included) and the
load average, and checks both versions stored the same terms. The demo repeats its texts (about
800 distinct in 7,600): ``--unique-lines`` appends each message's id so no line repeats and the
batch's line cache is not flattered. Not a test: no asserts on time.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/omnidesk_bench_msgidx"
SQLITE_PATH = Path("/tmp/omnidesk_bench_msgidx.db")
HERE = Path(__file__).resolve()
SRC = HERE.parent.parent / "src"


async def _prepare(url: str, unique: bool) -> None:
    """Create the schema and load the demo workspace with its messages (each made distinct
    by its id when ``unique``)."""
    from sqlalchemy import text

    from omnidesk.all_models import metadata
    from omnidesk.core.db import create_engine, create_session_factory
    from omnidesk.demo.extras import load_demo_extras
    from omnidesk.demo.loader import load_demo

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    async with create_session_factory(engine)() as session:
        report = await load_demo(session)
        await session.commit()
        await load_demo_extras(session, report.workspace_id)
        await session.commit()
        if unique:  # the demo's 7,600 messages have ~800 distinct texts, all of one line
            await session.execute(text("UPDATE messages SET text = text || ' ' || "
                                       "CAST(id AS TEXT) WHERE text IS NOT NULL"))
            await session.commit()
    await engine.dispose()


async def _fresh_postgres() -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN)
    await conn.execute("DROP DATABASE IF EXISTS omnidesk_bench_msgidx WITH (FORCE)")
    await conn.execute("CREATE DATABASE omnidesk_bench_msgidx")
    await conn.close()


async def _index_once(url: str) -> dict[str, float | str | int]:
    """Empty the message index, index every message, and return the figures (worker process)."""
    from sqlalchemy import delete, select

    from omnidesk.core.db import create_engine, create_session_factory
    from omnidesk.core.text import warm_analyser
    from omnidesk.domains.search.actions import do_index_all_messages
    from omnidesk.domains.search.models import SearchIndexState, SearchMessage

    warm_analyser()
    engine = create_engine(url)
    factory = create_session_factory(engine)
    async with factory() as session:
        await session.execute(delete(SearchMessage))
        await session.execute(delete(SearchIndexState))
        await session.commit()
    async with factory() as session:
        wall, cpu = time.perf_counter(), time.process_time()
        indexed = await do_index_all_messages(session)
        await session.commit()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    async with factory() as session:
        digest = hashlib.sha256()
        for row in await session.execute(
                select(SearchMessage.id, SearchMessage.terms).order_by(SearchMessage.id)):
            digest.update(f"{row.id}\t{row.terms}\n".encode())
    await engine.dispose()
    return {"indexed": indexed, "wall": wall, "cpu": cpu, "digest": digest.hexdigest()[:12]}


def _run(src: Path, url: str) -> dict[str, float | str | int]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, str(HERE), "--worker", url], env=env, check=True,
                         capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def _line(db: str, name: str, r: dict[str, float | str | int]) -> str:
    n, wall, cpu = int(r["indexed"]), float(r["wall"]), float(r["cpu"])
    return (f"{db:>8} {name:>4}: {n:,} msgs  wall {wall:6.2f} s  {n / wall:7.0f} msg/s  "
            f"CPU {cpu * 1000 / n:5.2f} ms/msg  terms {r['digest']}  "
            f"load {os.getloadavg()[0]:.2f}")


def main() -> None:
    """Prepare the databases once, then run both versions interleaved and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=False, help="the old code's src/ folder")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the prepared databases")
    parser.add_argument("--unique-lines", action="store_true",
                        help="make every message distinct (the line cache is not flattered)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(asyncio.run(_index_once(args.worker))))
        return
    dbs = {"sqlite": f"sqlite+aiosqlite:///{SQLITE_PATH}"}
    if not args.sqlite_only:
        dbs["postgres"] = PG_URL
    if not args.reuse:
        SQLITE_PATH.unlink(missing_ok=True)
        asyncio.run(_prepare(dbs["sqlite"], args.unique_lines))
        if "postgres" in dbs:
            asyncio.run(_fresh_postgres())
            asyncio.run(_prepare(PG_URL, args.unique_lines))
    versions = {"new": SRC} | ({"base": args.base} if args.base else {})
    figures: dict[tuple[str, str], list[dict[str, float | str | int]]] = {}
    for round_no in range(args.rounds):
        order = list(versions) if round_no % 2 else list(reversed(versions))
        for db, url in dbs.items():
            for name in order:
                result = _run(versions[name], url)
                figures.setdefault((db, name), []).append(result)
                print(_line(db, name, result), flush=True)
    print("medians:")
    for (db, name), runs in figures.items():
        n = int(runs[0]["indexed"])
        wall = statistics.median(float(r["wall"]) for r in runs)
        cpu = statistics.median(float(r["cpu"]) for r in runs)
        print(f"{db:>8} {name:>4}: {n / wall:7.0f} msg/s  CPU {cpu * 1000 / n:5.2f} ms/msg  "
              f"terms {sorted({str(r['digest']) for r in runs})}")


if __name__ == "__main__":
    main()
