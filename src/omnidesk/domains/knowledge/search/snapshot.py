"""Per-workspace index snapshot (vocabulary, totals, synonyms), cached until the index changes."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.knowledge.models import KbIndexState, KbPassage, KbSynonymSet, KbTerm
from omnidesk.domains.knowledge.search.ranking import CorpusStats
from omnidesk.domains.knowledge.search.synonyms import SynonymSet
from omnidesk.domains.knowledge.search.typos import Vocabulary

UNTRAINED = "untrained"


@dataclass
class IndexSnapshot:
    """What query planning and scoring read for one workspace at one index generation."""

    generation: int
    vocabulary: Vocabulary
    stats: CorpusStats
    synonym_sets: list[SynonymSet]
    vectors: dict[tuple[bool, str | None], dict[int, list[float]]] = field(default_factory=dict)
    # the learned article relevance of this generation (search/learned.py); UNTRAINED until asked
    article_model: Any = UNTRAINED


# One cache per engine (so two databases never share entries), emptied with the engine.
_CACHES: weakref.WeakKeyDictionary[Any, dict[int, IndexSnapshot]] = weakref.WeakKeyDictionary()


async def current_generation(session: AsyncSession, workspace_id: int) -> int:
    """Return the workspace's index generation (0 before anything was indexed)."""
    value = await session.scalar(select(KbIndexState.generation).where(
        KbIndexState.workspace_id == workspace_id))
    return value or 0


async def _stats(session: AsyncSession, workspace_id: int, counts: dict[str, int]) -> CorpusStats:
    state = await session.scalar(select(KbIndexState).where(
        KbIndexState.workspace_id == workspace_id))
    passages = state.passage_count if state else 0
    mean = (state.term_total / passages) if state and passages else 1.0
    return CorpusStats(passages=passages, mean_length=mean, counts=counts)


async def _synonyms(session: AsyncSession, workspace_id: int) -> list[SynonymSet]:
    rows: Sequence[list[str]] = (await session.scalars(select(KbSynonymSet.phrases).where(
        KbSynonymSet.workspace_id == workspace_id))).all()
    return [SynonymSet.from_phrases(p) for p in rows]


async def _terms_since(session: AsyncSession, workspace_id: int,
                       generation: int) -> dict[str, int]:
    rows = await session.execute(select(KbTerm.term, KbTerm.passages).where(
        KbTerm.workspace_id == workspace_id, KbTerm.generation > generation))
    return dict(rows.all())


async def _load(session: AsyncSession, workspace_id: int, generation: int) -> IndexSnapshot:
    vocabulary = Vocabulary({t: n for t, n in (await _terms_since(
        session, workspace_id, -1)).items() if n > 0})
    return IndexSnapshot(
        generation=generation, vocabulary=vocabulary,
        stats=await _stats(session, workspace_id, vocabulary.counts),
        synonym_sets=await _synonyms(session, workspace_id))


async def _refresh(session: AsyncSession, snapshot: IndexSnapshot, workspace_id: int,
                   generation: int) -> IndexSnapshot:
    """Bring a cached snapshot up to date with only the terms changed since it was taken."""
    snapshot.vocabulary.update(await _terms_since(session, workspace_id, snapshot.generation))
    return IndexSnapshot(
        generation=generation, vocabulary=snapshot.vocabulary,
        stats=await _stats(session, workspace_id, snapshot.vocabulary.counts),
        synonym_sets=await _synonyms(session, workspace_id))


async def load_snapshot(session: AsyncSession, workspace_id: int) -> IndexSnapshot:
    """Return the cached snapshot, brought up to date when the index generation moved."""
    generation = await current_generation(session, workspace_id)
    cache = _CACHES.setdefault(session.get_bind().engine, {})
    snapshot = cache.get(workspace_id)
    if snapshot is None or snapshot.generation > generation:
        snapshot = await _load(session, workspace_id, generation)
    elif snapshot.generation < generation:
        snapshot = await _refresh(session, snapshot, workspace_id, generation)
    cache[workspace_id] = snapshot
    return snapshot


async def load_vectors(
    session: AsyncSession, snapshot: IndexSnapshot, *, workspace_id: int,
    include_internal: bool, locale: str | None,
) -> dict[int, list[float]]:
    """Return passage vectors for the visible passages, cached with the snapshot."""
    key = (include_internal, locale)
    if key not in snapshot.vectors:
        stmt: Select[int, list[float] | None] = select(KbPassage.id, KbPassage.vector).where(
            KbPassage.workspace_id == workspace_id, KbPassage.vector.is_not(None))
        if not include_internal:
            stmt = stmt.where(KbPassage.visibility == "public")
        if locale:
            stmt = stmt.where(KbPassage.locale == locale)
        rows = (await session.execute(stmt)).all()
        snapshot.vectors[key] = {pid: vec for pid, vec in rows if vec}
    return snapshot.vectors[key]
