"""Index writes: analyse the messages the index has not seen yet, in batches.

The indexer runs as a schedule (``tasks.py``) rather than a subscriber on ``message.created``,
so the message hot path pays nothing for search and the analyser works on batches off the event
loop. Messages committed out of id order are not lost: each pass looks back ``LOOKBACK`` ids
behind its mark for messages without an index row.

A batch is analysed in one pass by the knowledge base's analyser (``analyse_texts``: the terms
of ``analyse_text`` for each text, each distinct line of the batch, such as a greeting,
"감사합니다" or a template reply, analysed once). The rows are written
with one multi-row INSERT, not as ORM objects.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.conversations.models import Message
from omnidesk.domains.knowledge.service import analyse_texts
from omnidesk.domains.search.models import SearchIndexState, SearchMessage

MESSAGES = "messages"
BATCH = 2000
LOOKBACK = 500


def analyse_all(texts: Sequence[str]) -> list[str]:
    """Return each text's index terms as one space-separated string (CPU work): the knowledge
    base's analysis, each distinct line of the batch analysed once."""
    return [" ".join(terms) for terms in analyse_texts(texts)]


async def _state(session: AsyncSession) -> SearchIndexState:
    state = await session.get(SearchIndexState, MESSAGES)
    if state is None:
        state = SearchIndexState(name=MESSAGES, last_id=0)
        session.add(state)
    return state


async def do_index_new_messages(session: AsyncSession, *, batch: int = BATCH) -> int:
    """Index up to ``batch`` messages that have no index row yet; return how many."""
    state = await _state(session)
    rows = (await session.execute(
        select(Message.id, Message.workspace_id, Message.conversation_id, Message.created_at,
               Message.text)
        .outerjoin(SearchMessage, SearchMessage.id == Message.id)
        .where(Message.id > max(0, state.last_id - LOOKBACK), SearchMessage.id.is_(None))
        .order_by(Message.id).limit(batch))).all()
    if not rows:
        return 0
    terms = await asyncio.to_thread(analyse_all, [row.text or "" for row in rows])
    await session.execute(insert(SearchMessage), [
        {"id": row.id, "workspace_id": row.workspace_id, "conversation_id": row.conversation_id,
         "created_at": row.created_at, "terms": t[:20000]}
        for row, t in zip(rows, terms, strict=True)])
    state.last_id = max(state.last_id, rows[-1].id)
    await session.flush()
    return len(rows)


async def do_index_all_messages(session: AsyncSession) -> int:
    """Index every message not indexed yet (demo load, CLI); return how many."""
    total = 0
    while (done := await do_index_new_messages(session)):
        total += done
    return total
