"""Search latency: GET /api/v1/search's service over 1M messages on PostgreSQL (or the demo).

    PYTHONPATH=src python bench/search_latency.py                 # 1,000,000 messages, PostgreSQL
    PYTHONPATH=src python bench/search_latency.py --messages 200000
    PYTHONPATH=src python bench/search_latency.py --reuse         # measure again, no re-seed
    PYTHONPATH=src python bench/search_latency.py --demo          # the demo workspace, SQLite

Seeds a fresh database (`omnidesk_bench_search`) with customers, conversations and messages
written from Korean and English support sentences, indexes them with the real analyser (each
distinct sentence analysed once, order numbers added as their own terms, as the analyser would),
then times `domains.search.service.search` for rare, common and multi-word queries, with and
without filters, and prints p50/p95/max per kind and overall. Not a test: no asserts on time.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

import asyncpg
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from omnidesk.all_models import metadata
from omnidesk.core.context import Actor
from omnidesk.core.db import create_engine, create_session_factory, utcnow
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.knowledge.service import analyse_text
from omnidesk.domains.search.actions import do_index_all_messages
from omnidesk.domains.search.models import SearchMessage
from omnidesk.domains.search.schemas import SearchFilter
from omnidesk.domains.search.service import search
from omnidesk.domains.workspaces.models import Workspace

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/omnidesk_bench_search"
SUBJECTS = ["주문", "배송", "환불", "교환", "반품", "쿠폰", "포인트", "결제", "영수증", "회원 등급",
            "소파", "침대", "의자", "식탁", "매트리스", "조명", "커튼", "러그", "수납장", "책상"]
ASKS = ["{s} 언제 오나요?", "{s} 문의드립니다", "{s} 취소하고 싶어요", "{s} 확인 부탁드려요",
        "{s} 관련해서 아직 연락이 없어요", "{s} 했는데 처리가 안 됐어요", "{s} 변경 가능할까요?",
        "어제 {s} 신청했는데 상태가 궁금해요", "{s} 때문에 전화드렸는데 연결이 안 되네요"]
ENGLISH = ["where is my order", "refund has not arrived", "please cancel the delivery",
           "coupon code does not work", "how do I change my address", "invoice request"]
NAMES = ["김민지", "이서연", "박지훈", "최하늘", "정우진", "강다은", "윤서준", "임하린", "한지우",
         "오세영"]
QUERIES = {
    "rare word": ["매트리스 환불", "러그 교환", "커튼 영수증", "조명 쿠폰"],
    "common word": ["주문", "배송", "문의"],
    "multi-word": ["소파 배송 언제", "환불 처리 안", "refund arrived"],
    "name": ["김민지", "최하늘"],
    "order number": ["HB2026000123"],
}


async def _seeded_workspace(messages: int) -> int | None:
    """Return the bench workspace's id when its database already holds ``messages`` messages."""
    conn = await asyncpg.connect(PG_ADMIN)
    exists = await conn.fetchval(
        "SELECT 1 FROM pg_database WHERE datname = 'omnidesk_bench_search'")
    await conn.close()
    if not exists:
        return None
    conn = await asyncpg.connect(PG_URL.replace("+asyncpg", ""))
    try:
        row = await conn.fetchrow("SELECT min(workspace_id) AS ws, count(*) AS n FROM messages")
    finally:
        await conn.close()
    return int(row["ws"]) if row and row["n"] == messages else None


async def _fresh_postgres() -> str:
    conn = await asyncpg.connect(PG_ADMIN)
    await conn.execute("DROP DATABASE IF EXISTS omnidesk_bench_search WITH (FORCE)")
    await conn.execute("CREATE DATABASE omnidesk_bench_search")
    await conn.close()
    return PG_URL


def _sentences() -> list[tuple[str, str]]:
    texts = [a.format(s=s) for a in ASKS for s in SUBJECTS] + ENGLISH
    return [(t, " ".join(analyse_text(t))) for t in texts]


async def seed(factory: async_sessionmaker[AsyncSession], messages: int, per_conv: int = 20
               ) -> int:
    """Write a workspace with messages/per_conv conversations; return the workspace id."""
    rng = random.Random(7)
    sentences = _sentences()
    async with factory() as session:
        ws = Workspace(slug="bench", name="bench")
        session.add(ws)
        await session.flush()
        n_customers = max(10, messages // 100)
        await session.execute(insert(Customer), [
            {"workspace_id": ws.id, "name": f"{rng.choice(NAMES)}{i}" if i % 10 else
             rng.choice(NAMES), "phone": f"+8210{i:08d}"} for i in range(n_customers)])
        await session.commit()
        first_customer = 1
        n_conv = max(1, messages // per_conv)
        now = utcnow()
        for start in range(0, n_conv, 10_000):
            await session.execute(insert(Conversation), [
                {"workspace_id": ws.id, "customer_id": first_customer + rng.randrange(n_customers),
                 "channel": rng.choice(["sms", "web", "kakao"]),
                 "status": rng.choice(["open", "resolved", "resolved", "pending"]),
                 "created_at": now, "last_message_at": now}
                for _ in range(start, min(n_conv, start + 10_000))])
            await session.commit()
        message_id = 0
        for start in range(0, messages, 20_000):
            batch, index = [], []
            for _ in range(start, min(messages, start + 20_000)):
                message_id += 1
                text, terms = rng.choice(sentences)
                if rng.random() < 0.05:
                    number = f"HB2026{rng.randrange(1_000_000):06d}"
                    text, terms = f"{text} 주문번호 {number}", f"{terms} 주문 번호 hb {number[2:]}"
                conv = 1 + (message_id - 1) // per_conv
                batch.append({"id": message_id, "workspace_id": ws.id, "conversation_id": conv,
                              "channel": "sms", "direction": "inbound",
                              "author_kind": "customer", "text": text, "created_at": now})
                index.append({"id": message_id, "workspace_id": ws.id, "conversation_id": conv,
                              "created_at": now, "terms": terms})
            await session.execute(insert(Message), batch)
            await session.execute(insert(SearchMessage), index)
            await session.commit()
            print(f"  seeded {min(messages, start + 20_000):,} messages", flush=True)
        return ws.id


async def measure(factory: async_sessionmaker[AsyncSession], workspace_id: int,
                  rounds: int) -> None:
    """Time the search service per query kind and print p50/p95/max in milliseconds."""
    actor = Actor(workspace_id=workspace_id, user_id=1, role="admin")
    analyse_text("워밍업")  # the analyser's model loads once per process, not per query
    everything: list[float] = []
    for kind, queries in QUERIES.items():
        times: list[float] = []
        for flt in (SearchFilter(), SearchFilter(status="open")):
            for q in queries:
                for _ in range(rounds):
                    async with factory() as session:
                        started = time.perf_counter()
                        await search(session, actor=actor, q=q, flt=flt)
                        times.append((time.perf_counter() - started) * 1000)
        everything += times
        _print(kind, times)
    _print("all", everything)


def _print(kind: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    print(f"{kind:>14}: n={len(times):4d}  p50 {statistics.median(times):7.1f} ms  "
          f"p95 {p95:7.1f} ms  max {ordered[-1]:7.1f} ms", flush=True)


async def _engine(url: str) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return engine, create_session_factory(engine)


async def run_postgres(messages: int, rounds: int, reuse: bool) -> None:
    """Seed PostgreSQL with ``messages`` messages (unless ``reuse`` finds them) and measure."""
    workspace_id = await _seeded_workspace(messages) if reuse else None
    if workspace_id is not None:
        engine, factory = await _engine(PG_URL)  # create_all adds what a newer schema needs
        print(f"reusing {messages:,} seeded messages")
        await measure(factory, workspace_id, rounds)
        await engine.dispose()
        return
    engine, factory = await _engine(await _fresh_postgres())
    started = time.perf_counter()
    workspace_id = await seed(factory, messages)
    async with engine.begin() as conn:
        await conn.exec_driver_sql("ANALYZE")
    print(f"seeded {messages:,} messages in {time.perf_counter() - started:.0f} s")
    await measure(factory, workspace_id, rounds)
    await engine.dispose()


async def run_demo(rounds: int) -> None:
    """Load the demo workspace into a fresh SQLite file, index it, and measure."""
    from omnidesk.demo.loader import load_demo

    with tempfile.TemporaryDirectory() as tmp:
        engine, factory = await _engine(f"sqlite+aiosqlite:///{Path(tmp) / 'demo.db'}")
        async with factory() as session:
            report = await load_demo(session)
            await session.commit()
            indexed = await do_index_all_messages(session)
            await session.commit()
        print(f"demo: {indexed:,} messages indexed")
        await measure(factory, report.workspace_id, rounds)
        await engine.dispose()


def main() -> None:
    """Parse arguments and run the chosen benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--demo", action="store_true", help="the demo workspace on SQLite")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the already seeded database (seed only if it is missing)")
    args = parser.parse_args()
    asyncio.run(run_demo(args.rounds) if args.demo else
                run_postgres(args.messages, args.rounds, args.reuse))


if __name__ == "__main__":
    main()
