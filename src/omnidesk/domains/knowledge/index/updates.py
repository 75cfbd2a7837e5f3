"""Incremental index writes: an article's passages, the term counts and the index totals.

The database full-text index (see ``ddl.py``) follows ``kb_passages`` rows, so rewriting an
article's passages in the publishing transaction updates the index when it commits.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.knowledge.index.passages import split_passages
from omnidesk.domains.knowledge.models import KbIndexState, KbPassage, KbTerm
from omnidesk.domains.knowledge.search.embeddings import EmbeddingProvider
from omnidesk.domains.knowledge.search.terms import index_terms_many

PASSAGES = cast(Table, KbPassage.__table__)


@dataclass(frozen=True)
class IndexedArticle:
    """What the index needs from a published article version."""

    article_id: int
    workspace_id: int
    locale: str
    visibility: str
    title: str
    summary: str
    body: str
    tags: Sequence[str]
    group_id: int | None = None


def build_rows(articles: Sequence[IndexedArticle]) -> list[dict[str, Any]]:
    """Split and tokenize articles into passage rows (CPU work; no database access).

    The whole batch is analysed in one pass (``index_terms_many``), so a line met twice (the
    title heading the summary passage, a section heading starting each of its chunks, a
    boilerplate line) is analysed once; the terms are those ``index_terms`` gives each text."""
    pieces = [split_passages(title=a.title, summary=a.summary, body=a.body) for a in articles]
    texts: list[str] = []
    for article, passages in zip(articles, pieces, strict=True):
        texts.append(" ".join([article.title, *article.tags]))
        texts += [f"{piece.heading}\n{piece.text}" for piece in passages]
    analysed = iter(index_terms_many(texts))
    rows = []
    for article, passages in zip(articles, pieces, strict=True):
        title_terms = " ".join(next(analysed))
        title_count = len(title_terms.split())
        for piece in passages:
            body_terms = next(analysed)
            rows.append({
                "workspace_id": article.workspace_id, "article_id": article.article_id,
                "group_id": article.group_id or article.article_id, "locale": article.locale,
                "visibility": article.visibility, "position": piece.position,
                "heading": piece.heading[:300], "text": piece.text, "title_terms": title_terms,
                "body_terms": " ".join(body_terms), "term_count": len(body_terms) + title_count,
            })
    return rows


def passage_term_set(row: dict[str, Any]) -> set[str]:
    """Return the distinct terms a passage row contributes to the vocabulary."""
    return set(row["title_terms"].split()) | set(row["body_terms"].split())


def _term_upsert(dialect: str) -> Any:
    upsert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = upsert(KbTerm)
    return stmt.on_conflict_do_update(
        index_elements=["workspace_id", "term"],
        set_={"passages": KbTerm.passages + stmt.excluded.passages,
              "generation": stmt.excluded.generation})


async def _upsert_term_counts(
    session: AsyncSession, workspace_id: int, deltas: Counter, generation: int
) -> None:
    # One statement run for every changed term (executemany): its SQL is compiled once and
    # cached, where a multi-row VALUES built per call was compiled afresh each time.
    changed: dict[str, int] = {}
    for term, n in deltas.items():
        if n:
            changed[term[:120]] = changed.get(term[:120], 0) + n
    if changed:
        await session.execute(_term_upsert(session.get_bind().dialect.name), [
            {"workspace_id": workspace_id, "term": t, "passages": n, "generation": generation}
            for t, n in sorted(changed.items())])


async def bump_state(session: AsyncSession, workspace_id: int, passages: int, terms: int) -> int:
    """Advance the workspace's index generation and totals; return the new generation."""
    generation = await session.scalar(update(KbIndexState).where(
        KbIndexState.workspace_id == workspace_id).values(
        generation=KbIndexState.generation + 1,
        passage_count=KbIndexState.passage_count + passages,
        term_total=KbIndexState.term_total + terms).returning(KbIndexState.generation))
    if generation is None:
        session.add(KbIndexState(workspace_id=workspace_id, generation=1,
                                 passage_count=passages, term_total=terms))
        await session.flush()
        generation = 1
    return generation


async def replace_passages(
    session: AsyncSession, *, workspace_id: int, article_ids: Sequence[int],
    new_rows: Sequence[dict[str, Any]] = (),
) -> None:
    """Swap articles' indexed passages for new ones, keeping term counts and totals exact."""
    old_rows = (await session.execute(select(
        KbPassage.title_terms, KbPassage.body_terms, KbPassage.term_count).where(
        KbPassage.workspace_id == workspace_id, KbPassage.article_id.in_(article_ids)))).all()
    deltas: Counter = Counter()
    for title_terms, body_terms, _ in old_rows:
        deltas.subtract(set(title_terms.split()) | set(body_terms.split()))
    for row in new_rows:
        deltas.update(passage_term_set(row))
    await session.execute(delete(KbPassage).where(
        KbPassage.workspace_id == workspace_id, KbPassage.article_id.in_(article_ids)))
    if new_rows:
        # The table, not the mapped class: a plain executemany, no ORM bulk bookkeeping.
        await session.execute(insert(PASSAGES), list(new_rows))
    term_delta = sum(r["term_count"] for r in new_rows) - sum(c for _, _, c in old_rows)
    generation = await bump_state(session, workspace_id, len(new_rows) - len(old_rows),
                                   term_delta)
    await _upsert_term_counts(session, workspace_id, deltas, generation)


async def index_articles(
    session: AsyncSession, articles: Sequence[IndexedArticle], *,
    embedder: EmbeddingProvider | None = None,
) -> int:
    """(Re)index published article versions of one workspace; return the passage count."""
    if not articles:
        return 0
    rows = await asyncio.to_thread(build_rows, articles)
    if embedder is not None:
        vectors = await embedder.embed([f"{r['heading']}\n{r['text']}" for r in rows])
        for row, vector in zip(rows, vectors, strict=True):
            row["vector"] = [round(float(x), 6) for x in vector]
    await replace_passages(session, workspace_id=articles[0].workspace_id,
                           article_ids=[a.article_id for a in articles], new_rows=rows)
    return len(rows)


async def index_article(
    session: AsyncSession, article: IndexedArticle, *, embedder: EmbeddingProvider | None = None
) -> int:
    """(Re)index one published article version; return how many passages it now has."""
    return await index_articles(session, [article], embedder=embedder)


async def unindex_article(session: AsyncSession, *, workspace_id: int, article_id: int) -> None:
    """Remove an article (unpublished, archived or deleted) from the index."""
    await replace_passages(session, workspace_id=workspace_id, article_ids=[article_id])


async def bump_generation(session: AsyncSession, *, workspace_id: int) -> None:
    """Mark the workspace's search settings changed so cached snapshots reload."""
    await bump_state(session, workspace_id, 0, 0)
