"""Measure knowledge search: indexing throughput and query latency at 1k, 10k, 100k articles.

Articles are generated from the demo articles' sentences (real Korean and English help text,
recombined), indexed through the same code publishing uses (split, Kiwi tokenization, passage
rows, term counts), then the labelled customer queries are timed against the index. Also
reported: how long a just-published article takes to become searchable.

Indexing analyses each distinct line of a batch once, and recombined sentences repeat far more
than a real help center's lines do, so ``--unique-lines`` ends every generated line with the
article's number: the analyser then sees every line afresh (the rate a help center without
repeated lines gets). Figures with it are the honest floor; without it they flatter the cache.
The analyser is built before the timing (as a server's start builds it, with its worker
threads for bulk batches), and ``terms_digest`` lets two versions' indexes be compared.

Run: ``.venv/bin/python bench/kb_search.py [--sizes 1000,10000] [--backends sqlite,postgresql]
[--unique-lines]``
PostgreSQL uses the database ``kb_bench`` on OMNIDESK_BENCH_PG (default 127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import asyncpg
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from omnidesk.all_models import metadata
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.core.text import warm_analyser
from omnidesk.demo.knowledge import DEMO_FOLDER
from omnidesk.domains.knowledge.index.updates import IndexedArticle, index_article, index_articles
from omnidesk.domains.knowledge.io.frontmatter import parse_markdown
from omnidesk.domains.knowledge.models import PUBLISHED, KbArticle, KbPassage
from omnidesk.domains.knowledge.search.evaluation import DEFAULT_QUERIES, read_queries
from omnidesk.domains.knowledge.service import search
from omnidesk.domains.workspaces.models import Workspace

PG_SERVER = os.environ.get("OMNIDESK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
BATCH = 250
QUERY_RUNS = 400


def sentence_pool() -> tuple[list[str], list[str], list[list[str]]]:
    """Collect titles, sentences and tag lists from the demo articles."""
    titles, sentences, tags = [], [], []
    for path in sorted(DEMO_FOLDER.rglob("*.md")):
        doc = parse_markdown(path.read_text(encoding="utf-8"))
        titles.append(str(doc.meta["title"]))
        tags.append(list(doc.meta.get("tags") or []))
        sentences += [line.strip() for line in doc.body.splitlines() if len(line.strip()) > 20]
    return titles, sentences, tags


def generate(count: int, seed: int = 7, *,
             unique_lines: bool = False) -> list[tuple[str, str, str, list[str]]]:
    """Return (title, summary, body, tags) for count recombined articles; with unique_lines
    every line ends with the article's number, so no two articles share a line."""
    rng = random.Random(seed)
    titles, sentences, tags = sentence_pool()
    products = ("냉장고", "세탁기", "건조기", "소파", "침대", "식탁", "에어컨", "TV", "매트리스",
                "옷장")
    out = []
    for i in range(count):
        mark = f" {i}" if unique_lines else ""
        body = "\n\n".join(
            f"## {rng.choice(titles)}{mark}\n" + "\n".join(s + mark for s in rng.sample(sentences, 3))
            for _ in range(2))
        out.append((f"{rng.choice(products)} {rng.choice(titles)} #{i}",
                    rng.choice(sentences) + mark, body, rng.choice(tags)))
    return out


async def database(backend: str, folder: Path) -> AsyncEngine:
    """Create an empty schema on SQLite or on the kb_bench PostgreSQL database."""
    if backend == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{folder / 'bench.db'}")
    else:
        conn = await asyncpg.connect(f"{PG_SERVER}/postgres")
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = 'kb_bench'"):
            await conn.execute("CREATE DATABASE kb_bench")
        await conn.close()
        engine = create_engine(f"{PG_SERVER.replace('postgresql://', 'postgresql+asyncpg://')}"
                               "/kb_bench")
    async with engine.begin() as conn:
        if backend == "postgresql":
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await conn.run_sync(metadata.create_all)
    return engine


async def index_all(session: AsyncSession, workspace_id: int,
                    articles: list[tuple[str, str, str, list[str]]]) -> tuple[float, float]:
    """Insert and index the articles in committed batches of BATCH; return articles per second
    and this process's CPU time per article in ms (every thread: SQLite's work is in it,
    the PostgreSQL server's is not)."""
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(articles), BATCH):
        batch = list(enumerate(articles[start : start + BATCH], start))
        rows = [KbArticle(workspace_id=workspace_id, slug=f"gen-{i}", locale="ko", title=title,
                          summary=summary, body=body, tags=tags, status=PUBLISHED)
                for i, (title, summary, body, tags) in batch]
        session.add_all(rows)
        await session.flush()
        await index_articles(session, [
            IndexedArticle(row.id, workspace_id, "ko", "public", row.title, row.summary,
                           row.body, row.tags) for row in rows])
        await session.commit()
    return (len(articles) / (time.perf_counter() - started),
            (time.process_time() - cpu) * 1000 / len(articles))


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def terms_digest(session: AsyncSession, workspace_id: int) -> str:
    """Return a digest of every indexed passage's terms, to compare two analysers' output."""
    digest = hashlib.sha256()
    for row in await session.execute(select(
            KbPassage.article_id, KbPassage.position, KbPassage.title_terms, KbPassage.body_terms)
            .where(KbPassage.workspace_id == workspace_id)
            .order_by(KbPassage.article_id, KbPassage.position)):
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()[:16]


async def time_queries(session: AsyncSession, workspace_id: int) -> dict[str, float]:
    """Time the labelled queries (after one warm-up pass) and return latency figures in ms."""
    queries = [q.query for q in read_queries(DEFAULT_QUERIES.read_text(encoding="utf-8"))]
    for query in queries[:20]:
        await search(session, workspace_id=workspace_id, query=query)
    timings = []
    for n in range(QUERY_RUNS):
        started = time.perf_counter()
        await search(session, workspace_id=workspace_id, query=queries[n % len(queries)])
        timings.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(timings), 2),
            "p99_ms": round(percentile(timings, 0.99), 2)}


async def publish_to_searchable(session: AsyncSession, workspace_id: int) -> float:
    """Index one new article, commit, and time until the first search returns it (ms)."""
    started = time.perf_counter()
    row = KbArticle(workspace_id=workspace_id, slug="fresh", locale="ko", title="새 공지 산타할인",
                    summary="산타할인 쿠폰 안내", body="산타할인 쿠폰은 12월에만 씁니다.",
                    tags=[], status=PUBLISHED)
    session.add(row)
    await session.flush()
    await index_article(session, IndexedArticle(row.id, workspace_id, "ko", "public", row.title,
                                                row.summary, row.body, []))
    await session.commit()
    hits = await search(session, workspace_id=workspace_id, query="산타할인 쿠폰")
    assert hits and hits[0].slug == "fresh"
    return round((time.perf_counter() - started) * 1000, 1)


async def run(backend: str, size: int, unique_lines: bool = False) -> dict[str, object]:
    """Build an index of `size` articles on one backend and measure it."""
    articles = generate(size, unique_lines=unique_lines)
    warm_analyser()  # built before timing, as a server's start builds it
    with tempfile.TemporaryDirectory() as folder:
        engine = await database(backend, Path(folder))
        try:
            async with create_session_factory(engine)() as session:
                ws = Workspace(slug="bench", name="bench")
                session.add(ws)
                await session.commit()
                rate, cpu_ms = await index_all(session, ws.id, articles)
                digest = await terms_digest(session, ws.id)
                latency = await time_queries(session, ws.id)
                fresh = await publish_to_searchable(session, ws.id)
        finally:
            await engine.dispose()
    return {"backend": backend, "articles": size, "unique_lines": unique_lines,
            "index_articles_per_s": round(rate, 1), "index_cpu_ms_per_article": round(cpu_ms, 2),
            **latency, "publish_to_searchable_ms": fresh, "terms_digest": digest}


def main() -> None:
    """Parse arguments and print one JSON line per (backend, size)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--unique-lines", action="store_true",
                        help="end every generated line with its article's number (no repeats)")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        for backend in args.backends.split(","):
            print(json.dumps(asyncio.run(run(backend, size, args.unique_lines))), flush=True)


if __name__ == "__main__":
    main()
